// After `npm run build`: what `npm pack` (and so `npm publish`) would put in the tarball. Everything n8n loads must be
// in it; nothing else (tests, the fake cloud, the demo, caches, sources, secrets). Also the package.json fields npm
// and n8n's community-package rules ask for. `node scripts/pack-check.js` prints the verdict; the install e2e test
// and CI call the same checks.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');

/** Top-level files a package may carry besides dist/ (npm adds README and LICENSE by itself). */
const TOP_LEVEL_ALLOWED = /^(package\.json|index\.js|README(\.md)?|LICEN[CS]E(\.md|\.txt)?|CHANGELOG\.md)$/i;
/** Never in the tarball, wherever they are. */
const FORBIDDEN = [
	{ test: /(^|\/)\.env(\.|$)/, why: 'an environment file (secrets)' },
	{ test: /(^|\/)\.npmrc$/, why: 'an .npmrc (a registry token)' },
	{ test: /\.tgz$/, why: 'a tarball inside the tarball' },
	{ test: /\.log$/, why: 'a log file' },
	{ test: /(^|\/)node_modules\//, why: 'node_modules' },
	{ test: /^dist\/(test|fake-cloud|demo|bench|e2e|scripts)\//, why: 'test, fake-cloud, demo or bench code built into dist/' },
	{ test: /(^|\/)(\.demo-cache|\.tmp|\.n8n-test|demo-output|coverage)\//, why: 'a cache or output folder' },
	{ test: /(?<!\.d)\.ts$/, why: 'TypeScript source (only .d.ts belongs in dist/)' },
	{ test: /\.tsbuildinfo$/, why: 'a TypeScript build cache' },
];

/** The files n8n needs: package.json's "n8n" entries, their codex files, the icons, the package entry. */
function requiredFiles(pkg, repoRoot) {
	const required = new Set(['package.json', 'README.md', pkg.main ?? 'index.js']);
	for (const entry of [...(pkg.n8n?.credentials ?? []), ...(pkg.n8n?.nodes ?? [])]) required.add(entry);
	for (const node of pkg.n8n?.nodes ?? []) {
		// nodes/X/X.node.ts has its codex beside it in nodes/X/X.node.json; n8n reads it from dist/.
		const codex = node.replace(/\.js$/, '.json');
		if (existsSync(join(repoRoot, codex.replace(/^dist\//, '')))) required.add(codex);
	}
	const icons = join(repoRoot, 'icons');
	if (existsSync(icons)) for (const icon of readdirSync(icons)) required.add(`dist/icons/${icon}`);
	for (const name of readdirSync(repoRoot)) if (/^LICEN[CS]E/i.test(name)) required.add(name);
	return [...required];
}

/**
 * Problems with a tarball's file list (paths relative to the package root, as `npm pack --json` gives them).
 * `readFile(path)` returns a packed file's text, to look inside source maps; omit it to check names only.
 */
function packProblems(paths, pkg, { repoRoot = root, readFile } = {}) {
	const problems = [];
	const packed = new Set(paths);
	for (const file of requiredFiles(pkg, repoRoot)) if (!packed.has(file)) problems.push(`missing: ${file}`);
	for (const path of paths) {
		if (!path.startsWith('dist/') && !TOP_LEVEL_ALLOWED.test(path)) problems.push(`should not be packed: ${path}`);
		for (const rule of FORBIDDEN) if (rule.test.test(path)) problems.push(`should not be packed: ${path} (${rule.why})`);
		// A map with sourcesContent would ship the TypeScript sources, comments and all.
		if (readFile && path.endsWith('.map') && readFile(path).includes('"sourcesContent"')) {
			problems.push(`source map embeds its sources: ${path}`);
		}
	}
	return [...new Set(problems)];
}

/** package.json fields that `npm publish --provenance` and n8n's community-package rules depend on. */
function publishProblems(pkg, repoRoot = root) {
	const problems = [];
	const warnings = [];
	if (!/^(@[^/]+\/)?n8n-nodes-/.test(pkg.name ?? '')) problems.push('name must start with n8n-nodes- (or @scope/n8n-nodes-)');
	if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(pkg.version ?? '')) problems.push(`version is not semver: ${pkg.version}`);
	if (!(pkg.keywords ?? []).includes('n8n-community-node-package')) problems.push('keywords must include n8n-community-node-package');
	if (pkg.private) problems.push('"private": true stops npm publish');
	if (!pkg.license) problems.push('license is missing');
	// npm checks provenance against the repository the workflow ran in, so the URL must be that GitHub repository.
	const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
	if (!repository || !/github\.com[/:][^/]+\/[^/]+?(\.git)?$/.test(repository)) problems.push('repository.url must name the GitHub repository');
	if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) problems.push('runtime dependencies are not allowed');
	if (!pkg.n8n || pkg.n8n.n8nNodesApiVersion !== 1) problems.push('n8n.n8nNodesApiVersion must be 1');
	if (!(pkg.files ?? []).includes('dist')) problems.push('files must include dist');
	if (!readdirSync(repoRoot).some((name) => /^LICEN[CS]E/i.test(name))) {
		warnings.push(`no LICENSE file: package.json says "${pkg.license}", but the tarball carries no license text`);
	}
	return { problems, warnings };
}

/** `npm pack --dry-run --json` in the repository: the exact list `npm publish` would upload. */
function dryRunPack(repoRoot = root) {
	const env = { ...process.env };
	delete env.npm_config_dry_run;
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, env, encoding: 'utf8' });
	// npm may print notices before the JSON.
	const [report] = JSON.parse(output.slice(output.indexOf('[')));
	return { filename: report.filename, size: report.size, unpackedSize: report.unpackedSize, paths: report.files.map((file) => file.path) };
}

module.exports = { packProblems, publishProblems, dryRunPack, requiredFiles };

if (require.main === module) {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	if (!existsSync(join(root, 'dist', 'nodes'))) {
		console.error('dist/ is missing: run `npm run build` first');
		process.exit(1);
	}
	const pack = dryRunPack();
	const problems = packProblems(pack.paths, pkg, { readFile: (path) => readFileSync(join(root, path), 'utf8') });
	const publish = publishProblems(pkg);
	for (const warning of publish.warnings) console.warn(`warning: ${warning}`);
	const all = [...problems, ...publish.problems];
	if (all.length > 0) {
		console.error(all.join('\n'));
		process.exit(1);
	}
	console.log(`${pack.filename}: ${pack.paths.length} files, ${(pack.size / 1024).toFixed(0)} kB packed; nothing missing, nothing extra`);
}
