// After `npm run build`: every file package.json's "n8n" section names exists, loads, and its icons were copied.
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const pkg = require(join(root, 'package.json'));
const problems = [];
const files = [...pkg.n8n.credentials, ...pkg.n8n.nodes];
for (const file of files) {
	const full = join(root, file);
	if (!existsSync(full)) {
		problems.push(`${file} is missing`);
		continue;
	}
	const exported = Object.values(require(full));
	if (exported.length !== 1 || typeof exported[0] !== 'function') problems.push(`${file} should export one class`);
}
for (const icon of ['dist/icons/particle.svg', 'dist/icons/particle.dark.svg']) {
	if (!existsSync(join(root, icon))) problems.push(`${icon} is missing`);
}
for (const leaked of ['dist/test', 'dist/fake-cloud', 'dist/bench', 'dist/demo']) {
	if (existsSync(join(root, leaked))) problems.push(`${leaked} must not be built into dist/`);
}
if (pkg.dependencies && Object.keys(pkg.dependencies).length > 0) problems.push('package.json has runtime dependencies');
if (problems.length > 0) {
	console.error(problems.join('\n'));
	process.exit(1);
}
console.log(`dist/ ok: ${files.length} entry files, icons copied, nothing else built`);
