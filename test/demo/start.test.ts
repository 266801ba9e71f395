/**
 * `npm start` without n8n: its options, its banner in each mode, and the ways it refuses or stops before n8n starts
 * (a wrong token, a busy port, a signal or a vanished parent during the start). The runs with n8n are in
 * e2e/demo.e2e.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import type { Demo, DemoWorkflowState } from '../../demo/launcher';
import { banner, parse } from '../../demo/start';

const ROOT = join(__dirname, '..', '..');

describe('options', () => {
	it('reads the documented flags, and --real-cloud takes the token from the environment only', () => {
		expect(parse(['--port', '5690', '--cloud-port', '0', '--churn-ms', '1000', '--reading-ms', '2000', '--fresh', '--no-build', '--output', 'out'], {})).toEqual({
			n8nPort: 5690,
			cloudPort: 0,
			churnMs: 1000,
			readingMs: 2000,
			fresh: true,
			skipBuild: true,
			outputDir: resolve('out'),
		});
		expect(parse(['--real-cloud'], { PARTICLE_ACCESS_TOKEN: 'abc' })).toEqual({ realCloud: { accessToken: 'abc', baseUrl: 'https://api.particle.io' } });
		expect(() => parse(['--real-cloud'], {})).toThrow('PARTICLE_ACCESS_TOKEN');
		expect(() => parse(['--churn-ms'], {})).toThrow('--churn-ms needs a number');
		expect(() => parse(['--colour'], {})).toThrow('unknown option --colour');
	});
});

describe('the banner', () => {
	const activations: DemoWorkflowState[] = [
		{ name: 'Particle demo: offline alert', id: '1', activation: { state: 'active' } },
		{ name: 'Particle demo: live events', id: '2', activation: { state: 'failed', error: 'Particle did not accept the access token' } },
	];
	const base = {
		n8n: { url: 'http://127.0.0.1:5678', logFile: '/u/n8n.log' },
		credential: { id: 'c', name: 'Particle API (demo)' },
		outputDir: '/out',
		exampleDevice: { id: '0123456789abcdef01234567', name: 'photon-amber-01' },
	};

	it('with the real cloud: no fake cloud anywhere, the failed activation named with its error', () => {
		const text = banner({ ...base, activations, realCloudUrl: 'https://api.particle.io' } as unknown as Demo, { realCloud: { accessToken: 't', baseUrl: 'https://api.particle.io' } });
		expect(text).not.toMatch(/fake/i);
		expect(text).toContain('n8n is ready, but 1 example workflow(s) could not be activated');
		expect(text).toContain('Particle Cloud: the real one at https://api.particle.io');
		expect(text).toContain('  active       Particle demo: offline alert');
		expect(text).toContain('  NOT ACTIVE   Particle demo: live events: Particle did not accept the access token');
		expect(text).toContain('"device":"0123456789abcdef01234567","function":"<function name>"');
		expect(text).toContain('stops n8n and its task runner.');
		expect(text).not.toContain('"t"');
	});

	it('with the fake cloud: its address, the fleet\'s pace and memory, the steady device in the example', () => {
		const text = banner(
			{
				...base,
				activations: [activations[0]],
				cloud: { url: 'http://127.0.0.1:4010' },
				fleetState: { file: '/u/fleet-state.json', loaded: { from: 'file', restored: 12, skipped: 0 } },
			} as unknown as Demo,
			{},
		);
		expect(text).toContain('n8n is ready:   http://127.0.0.1:5678');
		expect(text).toContain('Particle Cloud: the fake one at http://127.0.0.1:4010');
		expect(text).toContain('a device goes offline or comes back about every 2 min, a demo/temperature reading every 5 s');
		expect(text).toContain('continued from the last run (/u/fleet-state.json)');
		expect(text).toContain('"device":"0123456789abcdef01234567","function":"setColor"');
		expect(text).toContain('stops n8n, its task runner and the fake cloud.');
		expect(text).not.toContain('NOT ACTIVE');
	});
});

interface Launched {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

function launch(args: string[], env: NodeJS.ProcessEnv, command = process.execPath, prefix: string[] = ['-r', '@swc-node/register', 'demo/start.ts']): Launched {
	const child = spawn(command, [...prefix, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	let printed = '';
	child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
	child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
	const exited = new Promise<number | null>((resolvePromise) => child.once('exit', (code) => resolvePromise(code)));
	return { child, output: () => printed, exited };
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
	}
}

function listen(server: Server): Promise<number> {
	return new Promise((resolvePromise) => server.listen(0, '127.0.0.1', () => resolvePromise((server.address() as AddressInfo).port)));
}

function alive(pid: number): boolean {
	try {
		return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
	} catch {
		return false;
	}
}

/** A free port now (bound, then released): nothing is started on it in these tests. */
async function freePort(): Promise<number> {
	const server = createServer();
	const port = await listen(server);
	await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
	return port;
}

describe('refusing or stopping before n8n starts', () => {
	let cloud: FakeCloud;
	beforeAll(async () => {
		cloud = await startFakeCloud({ devices: 2, seed: 8 });
	});
	afterAll(() => cloud.close());

	it('--real-cloud with a wrong token: Particle\'s answer and what to do, nothing built or started', async () => {
		const wrong = 'e'.repeat(40);
		cloud.clearRequests();
		const run = launch(['--real-cloud', '--port', String(await freePort()), '--no-build'], { PARTICLE_ACCESS_TOKEN: wrong, PARTICLE_BASE_URL: cloud.url });
		expect(await run.exited).toBe(1);
		const text = run.output();
		expect(text).toContain('The demo did not start.');
		expect(text).toContain('Particle refused the token: HTTP 401');
		expect(text).toContain('The access token provided is invalid.');
		expect(text).toContain('particle token create');
		expect(text).not.toContain(wrong);
		expect(text).not.toContain('n8n is ready');
		expect(text).not.toContain('Starting n8n');
		expect(cloud.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual(['GET /v1/devices 401']);
	});

	it('a port an earlier demo (here: this test) still holds: its PID and how to stop it, before anything starts', async () => {
		const holder = createServer();
		const port = await listen(holder);
		try {
			const run = launch(['--port', String(port), '--cloud-port', '0', '--no-build'], {});
			expect(await run.exited).toBe(1);
			const text = run.output();
			expect(text).toContain(`Port ${port} (n8n's port) is held by PID ${process.pid}`);
			expect(text).toContain('kill -TERM -- -');
			expect(text).toContain('--port');
			expect(text).not.toContain('Building');
		} finally {
			await new Promise<void>((resolvePromise) => holder.close(() => resolvePromise()));
		}
	});

	describe('against a cloud that does not answer yet', () => {
		let hanging: Server;
		let url: string;
		const waiting: ServerResponse[] = [];
		beforeAll(async () => {
			hanging = createServer((_request: IncomingMessage, response: ServerResponse) => waiting.push(response));
			url = `http://127.0.0.1:${await listen(hanging)}`;
		});
		afterAll(async () => {
			for (const response of waiting) response.destroy();
			await new Promise<void>((resolvePromise) => hanging.close(() => resolvePromise()));
		});

		it.each(['SIGTERM', 'SIGHUP'] as const)('%s during the start stops it at once: nothing left, exit 0', async (signal) => {
			const before = waiting.length;
			const run = launch(['--real-cloud', '--port', String(await freePort()), '--no-build'], { PARTICLE_ACCESS_TOKEN: 'x'.repeat(40), PARTICLE_BASE_URL: url });
			await until('the token check to reach the cloud', () => waiting.length > before);
			run.child.kill(signal);
			expect(await run.exited).toBe(0);
			expect(run.output()).toContain(`${signal}: stopping n8n...`);
			expect(run.output()).toContain('Stopped before the demo was ready; nothing is left running.');
		});

		it('the shell npm runs it under is killed (as `kill <npm pid>` does): it notices and stops too', async () => {
			const before = waiting.length;
			const port = await freePort();
			// npm runs the script as `sh -c "<script>"`; the shell does not pass a signal on to its child.
			const run = launch([], { PARTICLE_ACCESS_TOKEN: 'x'.repeat(40), PARTICLE_BASE_URL: url }, '/bin/sh', [
				'-c',
				`"${process.execPath}" -r @swc-node/register demo/start.ts --real-cloud --port ${port} --no-build; echo never`,
			]);
			await until('the token check to reach the cloud', () => waiting.length > before);
			const launcher = Number(
				readFileSync(`/proc/${run.child.pid}/task/${run.child.pid}/children`, 'utf8').trim().split(/\s+/)[0],
			);
			expect(alive(launcher)).toBe(true);
			run.child.kill('SIGTERM');
			await run.exited;
			await until(`the orphaned launcher ${launcher} to stop`, () => !alive(launcher), 10_000);
		});
	});
});
