/**
 * Installing it (issue #18): the README's own install commands, read from README.md and run by a shell, into fresh
 * n8n user folders; then a real n8n 2.41.1 (Node 24) loads the package and runs a workflow with it against the fake
 * cloud. The commands are taken from the blocks marked `<!-- install-test: ... -->`, so the README cannot drift from
 * what this proves. Also what the tarball holds (`npm pack --dry-run --json`, checked by scripts/pack-check.js).
 *
 * Its own n8n (port 5868, task broker 5869) and fake cloud (4160); user folders under the OS temp folder, where no
 * parent folder has a package.json for npm to wander into.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startFakeCloud, type FakeCloud, type RecordedRequest } from '../fake-cloud';
import { N8nRest, startN8n, type N8nProcess, type Owner } from '../demo/n8n';
import { ensureRuntime, N8N_VERSION, REPO_ROOT, type Runtime } from '../demo/runtime';
import { PACKAGE } from '../demo/workflows';
import { waitFor } from './wait';

interface PackageJson {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
}

interface DryRunPack {
	filename: string;
	size: number;
	paths: string[];
}

interface PackCheck {
	packProblems(paths: string[], pkg: PackageJson, options?: { repoRoot?: string; readFile?: (path: string) => string }): string[];
	publishProblems(pkg: PackageJson): { problems: string[]; warnings: string[] };
	dryRunPack(repoRoot?: string): DryRunPack;
}

// A plain CommonJS script, so that CI can run it with node alone.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const packCheck = require('../scripts/pack-check.js') as PackCheck;

const N8N_PORT = Number(process.env.E2E_INSTALL_N8N_PORT ?? 5868);
const CLOUD_PORT = Number(process.env.E2E_INSTALL_CLOUD_PORT ?? 4160);
const OWNER: Owner = { email: 'install@example.com', password: 'Install-Test-18', firstName: 'Install', lastName: 'Test' };
const PLACEHOLDER_DIR = '/path/to/';
const NODE_TYPES = ['particle', 'particleTrigger', 'particleEventTrigger', 'particleWebhookTrigger'].map((name) => `${PACKAGE}.${name}`);
const CREDENTIAL_TYPE = 'particleApi';
const SHELL_TIMEOUT_MS = 120_000;

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const startedAt = Date.now();
const timings: Record<string, number> = {};

let work: string;
let packDir: string;
let tarball: string;
let runtime: Runtime;
let cloud: FakeCloud;
let n8n: N8nProcess | undefined;
let failed = false;

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
	const from = Date.now();
	try {
		return await step();
	} finally {
		timings[label] = Date.now() - from;
	}
}

/** The README's "Install in n8n" section, up to the next heading of its level. */
function installSection(): string {
	const start = readme.indexOf('\n## Install in n8n');
	if (start < 0) throw new Error('README.md has no "## Install in n8n" section');
	const end = readme.indexOf('\n## ', start + 1);
	return readme.slice(start, end < 0 ? undefined : end);
}

/** The bash block right after `<!-- install-test: <name> -->` in the install section. */
function readmeBlock(name: string): string {
	const match = new RegExp(`<!-- install-test: ${name} -->\\s*\`\`\`bash\\n([\\s\\S]*?)\`\`\``).exec(installSection());
	if (!match) throw new Error(`README.md's install section has no bash block marked <!-- install-test: ${name} -->`);
	return match[1];
}

/** The README's block with its placeholder path pointing at the tarball this run packed. */
function withTarball(block: string): string {
	const placeholder = `${PLACEHOLDER_DIR}${tarball}`;
	if (!block.includes(placeholder)) throw new Error(`README block should install ${placeholder} (npm pack wrote ${tarball}):\n${block}`);
	return block.split(PLACEHOLDER_DIR).join(`${packDir}/`);
}

/** The environment a user's shell has: none of the npm_* variables npm sets for `npm run`, and their own HOME. */
function userShellEnv(home: string | undefined, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(key) || key === 'INIT_CWD' || key === 'N8N_USER_FOLDER') continue;
		env[key] = value;
	}
	if (home) env.HOME = home;
	return { ...env, ...extra };
}

/** Runs a README block in bash (-e: the first failing command fails it), bounded. */
function runShell(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
	return new Promise((resolve, reject) => {
		const child: ChildProcess = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		const timer = setTimeout(() => {
			if (child.pid) process.kill(-child.pid, 'SIGKILL');
			reject(new Error(`timed out after ${SHELL_TIMEOUT_MS} ms:\n${script}\n${output.slice(-2000)}`));
		}, SHELL_TIMEOUT_MS);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`exit code ${code} from:\n${script}\n${output.slice(-3000)}`));
		});
	});
}

/** A fresh home folder for one install; n8n's user folder is this home, as when N8N_USER_FOLDER is not set. */
function freshHome(label: string): string {
	const home = join(work, label);
	mkdirSync(home, { recursive: true });
	return home;
}

function installedPackages(home: string): string[] {
	const dir = join(home, '.n8n', 'nodes', 'node_modules');
	return existsSync(dir) ? readdirSync(dir).filter((name) => !name.startsWith('.')) : [];
}

function installedVersion(home: string): string {
	const file = join(home, '.n8n', 'nodes', 'node_modules', PACKAGE, 'package.json');
	return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

async function startN8nIn(home: string, label: string): Promise<{ n8n: N8nProcess; rest: N8nRest }> {
	const started = await startN8n({
		runtime,
		userFolder: home,
		port: N8N_PORT,
		owner: OWNER,
		filesDir: join(home, 'files'),
		logFile: join(work, `n8n-${label}.log`),
		env: { HOME: home },
		// About 10 s on a quiet machine; a fresh database and a busy two-core box take much longer.
		readyTimeoutMs: 180_000,
	});
	n8n = started;
	const rest = new N8nRest(started.url);
	await rest.login(OWNER);
	return { n8n: started, rest };
}

async function stopN8n(): Promise<void> {
	const running = n8n;
	n8n = undefined;
	await running?.stop();
}

async function typeFile<T>(rest: N8nRest, name: 'nodes' | 'credentials'): Promise<T> {
	const response = await fetch(`${rest.url}/types/${name}.json`, { headers: { cookie: rest.authCookie } });
	if (response.status !== 200) throw new Error(`/types/${name}.json answered ${response.status}`);
	return (await response.json()) as T;
}

interface NodeTypeEntry {
	name: string;
	iconUrl?: string | { light: string; dark: string };
}

/** The four node types and the credential type are loaded, and the icon n8n serves for them is this package's SVG. */
async function expectPackageLoaded(rest: N8nRest): Promise<void> {
	const nodes = await typeFile<NodeTypeEntry[]>(rest, 'nodes');
	const names = nodes.map((node) => node.name);
	expect(names).toEqual(expect.arrayContaining(NODE_TYPES));
	const credentials = await typeFile<Array<{ name: string }>>(rest, 'credentials');
	expect(credentials.map((credential) => credential.name)).toContain(CREDENTIAL_TYPE);

	const action = nodes.find((node) => node.name === `${PACKAGE}.particle`);
	const icons = typeof action?.iconUrl === 'string' ? [action.iconUrl] : [action?.iconUrl?.light, action?.iconUrl?.dark];
	expect(icons.every((icon) => typeof icon === 'string')).toBe(true);
	for (const icon of icons as string[]) {
		const response = await fetch(`${rest.url}/${icon}`, { headers: { cookie: rest.authCookie } });
		expect([icon, response.status]).toEqual([icon, 200]);
		expect(await response.text()).toContain('<svg');
	}
}

interface Created {
	id: string;
	versionId: string;
}

/** Webhook (answers with every item of the last node) -> Particle > Device > Get Many, with a fresh credential. */
async function createGetManyWorkflow(rest: N8nRest, path: string): Promise<void> {
	const credential = await rest.call<Created>('POST', '/credentials', {
		name: `Particle API (install test, ${path})`,
		type: CREDENTIAL_TYPE,
		data: { authMode: 'accessToken', accessToken: cloud.tokens.user, baseUrl: cloud.url },
	});
	const workflow = await rest.call<Created>('POST', '/workflows', {
		name: `Install test: ${path}`,
		active: false,
		nodes: [
			{
				id: `${path}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${path}-0000-4000-8000-000000000018`,
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: `${path}-list`,
				name: 'List My Devices',
				type: `${PACKAGE}.particle`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true, filters: {} },
				credentials: { particleApi: { id: credential.id, name: `Particle API (install test, ${path})` } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'List My Devices', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	});
	await rest.call('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
}

function deviceListRequests(since: number): RecordedRequest[] {
	return cloud.requests.slice(since).filter((request) => request.decodedPath === '/v1/devices');
}

/** One webhook call runs the workflow: the cloud saw one device list with the token in the header, n8n answered with it. */
async function expectGetManyRuns(rest: N8nRest, path: string): Promise<void> {
	await createGetManyWorkflow(rest, path);
	const mark = cloud.requests.length;
	const answer = await waitFor(
		`the webhook /webhook/${path} to answer`,
		async () => {
			const response = await fetch(`${rest.url}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}',
				signal: AbortSignal.timeout(20_000),
			});
			// 404 until n8n has registered the webhook of the workflow it just activated.
			return response.status === 404 ? undefined : { status: response.status, text: await response.text() };
		},
		{ timeoutMs: 15_000, everyMs: 250 },
	);
	expect([answer.status, answer.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
	const devices = JSON.parse(answer.text) as Array<{ id: string; name: string }>;
	const expected = cloud.fleet.sandboxDevices().map((device) => device.id);
	expect(devices.map((device) => device.id).sort()).toEqual([...expected].sort());

	const seen = deviceListRequests(mark);
	expect(seen.map((request) => [request.method, request.status])).toEqual([['GET', 200]]);
	expect(seen[0].authorization).toBe(`Bearer ${cloud.tokens.user}`);
	expect(Object.keys(seen[0].query)).not.toContain('access_token');
}

beforeAll(async () => {
	work = mkdtempSync(join(tmpdir(), 'particle-install-e2e-'));
	packDir = join(work, 'pack');
	mkdirSync(packDir);
	tarball = `${pkg.name}-${pkg.version}.tgz`;

	// Step 1 of the README, as written, in the repository; `npm pack` writes into the temp folder (npm's
	// pack-destination from the environment), so nothing lands in the work tree. CI has just built: E2E_SKIP_BUILD.
	const packBlock = readmeBlock('pack');
	expect(packBlock.split('\n').map((line) => line.trim())).toEqual(expect.arrayContaining(['npm run build', 'npm pack']));
	const script = process.env.E2E_SKIP_BUILD === 'true' ? packBlock.replace(/^npm run build\s*$/m, '') : packBlock;
	await timed('build and pack (README step 1)', () =>
		runShell(script, REPO_ROOT, userShellEnv(undefined, { npm_config_pack_destination: packDir })),
	);
	expect(readdirSync(packDir)).toEqual([tarball]);

	runtime = await timed('Node 24 and n8n from the cache', () => ensureRuntime());
	cloud = await startFakeCloud({ port: CLOUD_PORT, devices: 3, products: 1, productDevices: 2, seed: 18 });
}, 300_000);

afterAll(async () => {
	await stopN8n();
	await cloud?.close();
	timings['whole file'] = Date.now() - startedAt;
	process.stdout.write(
		`\ninstall e2e (n8n ${N8N_VERSION}), timings in ms:\n${Object.entries(timings)
			.map(([label, ms]) => `  ${label}: ${ms}`)
			.join('\n')}\n${failed ? `  kept for a look: ${work}\n` : ''}`,
	);
	if (!failed && work) rmSync(work, { recursive: true, force: true });
}, 60_000);

/** Marks the run failed (so the temp folder and n8n's logs are kept) when a test body throws. */
function keepOnFailure(body: () => Promise<void>): () => Promise<void> {
	return async () => {
		try {
			await body();
		} catch (error) {
			failed = true;
			throw error;
		}
	};
}

describe('the packed tarball', () => {
	it(
		'holds what n8n loads (package.json, README, index.js, dist/ nodes, credential, codex, icons) and nothing else',
		keepOnFailure(async () => {
			const dryRun = packCheck.dryRunPack(REPO_ROOT);
			expect(dryRun.filename).toBe(tarball);
			expect(packCheck.packProblems(dryRun.paths, pkg, { readFile: (path) => readFileSync(join(REPO_ROOT, path), 'utf8') })).toEqual([]);
			expect(packCheck.publishProblems(pkg).problems).toEqual([]);
			for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials, 'package.json', 'README.md']) expect(dryRun.paths).toContain(entry);
			expect(dryRun.paths.filter((path) => !path.startsWith('dist/')).sort()).toEqual(
				expect.arrayContaining(['README.md', 'index.js', 'package.json']),
			);

			// The real tarball (the one installed below) holds exactly what the dry run listed.
			const listing = await runShell(`tar -tzf ${JSON.stringify(join(packDir, tarball))}`, work, userShellEnv(undefined));
			const packed = listing
				.split('\n')
				.filter(Boolean)
				.map((line) => line.replace(/^package\//, ''));
			expect(packed.sort()).toEqual([...dryRun.paths].sort());
		}),
	);

	it('the check flags what must not ship and what is missing', () => {
		const bad = [
			'package.json',
			'README.md',
			'index.js',
			'dist/nodes/Particle/Particle.node.js',
			'test/node/device.test.ts',
			'fake-cloud/server.ts',
			'dist/fake-cloud/server.js',
			'.env',
			'.demo-cache/n8n/x.js',
			'nodes/Particle/Particle.node.ts',
		];
		const problems = packCheck.packProblems(bad, pkg, { readFile: () => '{"version":3,"sourcesContent":["secret"]}' });
		for (const path of ['test/node/device.test.ts', 'fake-cloud/server.ts', 'dist/fake-cloud/server.js', '.env', '.demo-cache/n8n/x.js', 'nodes/Particle/Particle.node.ts']) {
			expect(problems.some((problem) => problem.includes(path))).toBe(true);
		}
		expect(problems).toEqual(expect.arrayContaining([`missing: ${pkg.n8n.credentials[0]}`, 'missing: dist/icons/particle.svg']));
		expect(packCheck.packProblems(['dist/nodes/a.js.map'], pkg, { readFile: () => '{"sourcesContent":[""]}' })).toContain(
			'source map embeds its sources: dist/nodes/a.js.map',
		);
	});

	it('every tarball name in the README install section is the one npm pack writes', () => {
		const named = installSection().match(/n8n-nodes-particle-\d+\.\d+\.\d+[^\s/`'"]*\.tgz/g) ?? [];
		expect(named.length).toBeGreaterThan(0);
		expect([...new Set(named)]).toEqual([tarball]);
	});
});

describe(`the README install, in a real n8n ${N8N_VERSION}`, () => {
	it(
		'npm: the package lands in ~/.n8n/nodes/node_modules, alone; n8n loads it and Device > Get Many runs',
		keepOnFailure(async () => {
			const home = freshHome('home-npm');
			// The trap the README warns about: a stray ~/node_modules, where npm would install without --prefix.
			mkdirSync(join(home, 'node_modules'));
			await timed('README npm install', () => runShell(withTarball(readmeBlock('npm')), home, userShellEnv(home)));
			expect(installedPackages(home)).toEqual([PACKAGE]);
			expect(installedVersion(home)).toBe(pkg.version);
			expect(readdirSync(join(home, 'node_modules'))).toEqual([]);

			const { rest } = await timed('n8n start (npm install)', () => startN8nIn(home, 'npm'));
			await expectPackageLoaded(rest);
			await timed('Device > Get Many through n8n (npm install)', () => expectGetManyRuns(rest, 'install-npm'));
			// Installed by hand, so not on Settings > Community Nodes (n8n lists the packages it installed itself).
			expect(await rest.call<unknown[]>('GET', '/community-packages')).toEqual([]);
			await stopN8n();
		}),
		330_000,
	);

	it(
		'tar (Docker, no npm): unpacked into nodes/node_modules; n8n loads it and Device > Get Many runs',
		keepOnFailure(async () => {
			const home = freshHome('home-tar');
			await timed('README tar install', () => runShell(withTarball(readmeBlock('tar')), home, userShellEnv(home)));
			expect(installedPackages(home)).toEqual([PACKAGE]);
			expect(installedVersion(home)).toBe(pkg.version);

			const { rest } = await timed('n8n start (tar install)', () => startN8nIn(home, 'tar'));
			await expectPackageLoaded(rest);
			await timed('Device > Get Many through n8n (tar install)', () => expectGetManyRuns(rest, 'install-tar'));
			await stopN8n();
		}),
		330_000,
	);
});
