import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../../fake-cloud/cli';

const root = join(__dirname, '..', '..');

interface RunningCli {
	out: () => string;
	url: string;
	userToken: string;
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `npm run fake-cloud` (the CLI itself) on a free port and waits for its banner. */
async function startCli(args: string[]): Promise<RunningCli> {
	const child = spawn(process.execPath, ['-r', '@swc-node/register', 'fake-cloud/cli.ts', '--port', '0', ...args], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.setEncoding('utf8');
	child.stdout.on('data', (chunk: string) => (out += chunk));
	const exited = new Promise<number | null>((resolvePromise) => child.on('exit', (code) => resolvePromise(code)));
	await new Promise<void>((resolvePromise, reject) => {
		const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
		const check = (): void => {
			if (!out.includes('Ctrl+C')) return;
			clearTimeout(timer);
			resolvePromise();
		};
		child.stdout.on('data', check);
		check();
	});
	return {
		out: () => out,
		url: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '',
		userToken: /user token\s+([0-9a-f]{40})/.exec(out)?.[1] ?? '',
		stop: (signal = 'SIGTERM') => {
			child.kill(signal);
			return exited;
		},
	};
}

describe('fake-cloud CLI', () => {
	test('parses the documented flags', () => {
		expect(parseArgs(['--port', '4010', '--devices', '20', '--products=2', '--seed', '7', '--product-devices', '3', '--latency', '20', '--token-lifetime', '60'])).toEqual({
			port: 4010,
			devices: 20,
			products: 2,
			seed: 7,
			productDevices: 3,
			latencyMs: 20,
			tokenLifetimeSeconds: 60,
		});
		expect(() => parseArgs(['--colour', 'red'])).toThrow('unknown option');
		expect(() => parseArgs(['--port'])).toThrow('non-negative integer');
		expect(() => parseArgs(['--devices', '-1'])).toThrow('non-negative integer');
		expect(parseArgs(['--churn-ms', '120000', '--reading-ms=5000', '--state', 'x/fleet.json'])).toEqual({
			churnMs: 120_000,
			readingMs: 5000,
			stateFile: resolve('x/fleet.json'),
		});
		expect(() => parseArgs(['--state'])).toThrow('needs a file');
	});

	test('--state: a rename and the online state survive a restart (SIGHUP stops it too)', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'fake-cli-state-'));
		const file = join(folder, 'fleet.json');
		try {
			const first = await startCli(['--devices', '3', '--seed', '5', '--state', file]);
			expect(first.out()).toContain(`Fleet state: new; saved to ${file} as it changes.`);
			const headers = { authorization: `Bearer ${first.userToken}`, 'content-type': 'application/json' };
			const listed = (await (await fetch(`${first.url}/v1/devices`, { headers })).json()) as Array<{ id: string; name: string; last_heard: string }>;
			const renamed = await fetch(`${first.url}/v1/devices/${listed[0].id}`, { method: 'PUT', headers, body: JSON.stringify({ name: 'porch-light' }) });
			expect(renamed.status).toBe(200);
			expect(await first.stop('SIGHUP')).toBe(0);
			expect(first.out()).toContain('stopped');
			expect(JSON.parse(readFileSync(file, 'utf8')).devices[listed[0].id].name).toBe('porch-light');

			const second = await startCli(['--devices', '3', '--seed', '5', '--state', file]);
			try {
				expect(second.out()).toContain(`Fleet state: continued from ${file} (9 devices)`);
				const again = (await (await fetch(`${second.url}/v1/devices`, { headers: { authorization: `Bearer ${second.userToken}` } })).json()) as Array<{
					id: string;
					name: string;
					last_heard: string;
				}>;
				expect(again.find((device) => device.id === listed[0].id)?.name).toBe('porch-light');
				for (const device of listed) {
					expect(again.find((candidate) => candidate.id === device.id)?.last_heard).toBe(device.last_heard);
				}
			} finally {
				expect(await second.stop()).toBe(0);
			}
		} finally {
			rmSync(folder, { recursive: true, force: true });
		}
	});

	test('starts, prints URL, tokens and client, serves them, and stops cleanly on SIGTERM', async () => {
		const child = spawn(process.execPath, ['-r', '@swc-node/register', 'fake-cloud/cli.ts', '--port', '0', '--devices', '3', '--seed', '5'], {
			cwd: root,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => (out += chunk));
		const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
		try {
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 15_000);
				child.stdout.on('data', () => {
					if (out.includes('Ctrl+C')) {
						clearTimeout(timer);
						resolve();
					}
				});
			});
			const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
			const userToken = /user token\s+([0-9a-f]{40})/.exec(out)?.[1];
			expect(out).toMatch(/API-user token\s+[0-9a-f]{40}/);
			expect(out).toMatch(/customer token\s+[0-9a-f]{40}/);
			expect(out).toMatch(/product client\s+id \S+\s+secret [0-9a-f]{40}/);
			expect(out).toContain(`curl -H "Authorization: Bearer ${userToken}" ${url}/v1/devices`);
			const res = await fetch(`${url}/v1/devices`, { headers: { authorization: `Bearer ${userToken}` } });
			expect(((await res.json()) as unknown[]).length).toBe(3);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
		expect(out).toContain('stopped');
	});
});
