// The API-user scopes of Particle's Cloud API reference, read from the reference's generated apidoc file
// (`generated/api-service.json` in particle-iot/docs). The reference's "Available API user scopes" list is rendered
// from the same data (`{{{scopeList}}}` in src/content/reference/device-cloud/api.md): every endpoint's
// `permission[].name`. Run by hand when the reference changes; CI never runs it and it needs no network:
//
//   node scripts/extract-api-user-scopes.js <path/to/api-service.json> [--commit <sha>]
//
// With --commit it prints the whole fixture (test/fixtures/particle-reference/api-user-scopes.json); without it,
// the sorted scopes, one a line.
const { readFileSync } = require('node:fs');

/** How Particle writes a scope: dotted resource names, a colon, an action (`devices.function:call`). */
const SCOPE_FORMAT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*:[a-z][a-z0-9_]*$/;

const SOURCE = { repo: 'particle-iot/docs', path: 'generated/api-service.json' };

function fail(message) {
	process.stderr.write(`${message}\n`);
	process.exit(1);
}

/** Every permission name of every endpoint, once, sorted; anything not shaped like a scope is reported, not kept. */
function scopesOf(endpoints) {
	if (!Array.isArray(endpoints)) fail('The file is not an apidoc list of endpoints (expected a JSON array).');
	const scopes = new Set();
	for (const endpoint of endpoints) {
		for (const permission of Array.isArray(endpoint?.permission) ? endpoint.permission : []) {
			const name = typeof permission?.name === 'string' ? permission.name.trim() : '';
			if (SCOPE_FORMAT.test(name)) scopes.add(name);
			else process.stderr.write(`skipped (not a scope): ${JSON.stringify(permission)} on ${endpoint.type} ${endpoint.url}\n`);
		}
	}
	// Code-unit order, so the list is the same on every machine and locale.
	return [...scopes].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function main(argv) {
	const [file, ...rest] = argv;
	if (file === undefined || file.startsWith('--')) fail('usage: node scripts/extract-api-user-scopes.js <api-service.json> [--commit <sha>]');
	const commitAt = rest.indexOf('--commit');
	const commit = commitAt === -1 ? undefined : rest[commitAt + 1];
	if (commitAt !== -1 && !/^[0-9a-f]{40}$/.test(commit ?? '')) fail('--commit takes the 40-hex commit the file was read at');

	let endpoints;
	try {
		endpoints = JSON.parse(readFileSync(file, 'utf8'));
	} catch (error) {
		fail(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
	}
	const scopes = scopesOf(endpoints);
	if (scopes.length === 0) fail('No scopes found: is this the Cloud API reference?');
	process.stdout.write(
		commit === undefined ? `${scopes.join('\n')}\n` : `${JSON.stringify({ source: { ...SOURCE, commit }, scopes }, null, '\t')}\n`,
	);
}

main(process.argv.slice(2));
