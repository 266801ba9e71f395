import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from '../../fake-cloud/cli';

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
	});

	test('starts, prints URL, tokens and client, serves them, and stops cleanly on SIGTERM', async () => {
		const root = join(__dirname, '..', '..');
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
