/**
 * What `npm start` checks before it starts anything: the ports (and who holds them) and, with --real-cloud, the token
 * (one GET /v1/devices, Particle's answer when refused, the token never echoed).
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer, type Server as NetServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { busyPorts, canListen, explainBusyPorts, portHolders } from '../../demo/ports';
import { checkRealCloudToken } from '../../demo/realCloud';

function listen(server: NetServer | Server): Promise<number> {
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

function close(server: NetServer | Server): Promise<void> {
	return new Promise((resolve) => server.close(() => resolve()));
}

describe('ports', () => {
	it('finds the process that listens on a port (this one), and says how to free it', async () => {
		const server = createServer();
		const port = await listen(server);
		try {
			expect(await canListen(port)).toBe(false);
			const holders = portHolders(port);
			expect(holders.map((holder) => holder.pid)).toEqual([process.pid]);
			const busy = await busyPorts([
				{ port, what: "n8n's port" },
				{ port: 0, what: 'any free port' },
			]);
			expect(busy).toEqual([{ port, what: "n8n's port", holders }]);
			const text = explainBusyPorts(busy, 'npm start -- --port 5690');
			expect(text).toContain(`Port ${port} (n8n's port) is held by PID ${process.pid}`);
			expect(text).toContain(`kill -TERM -- -${holders[0].pgid}`);
			expect(text).toContain('npm start -- --port 5690');
		} finally {
			await close(server);
		}
		expect(await canListen(port)).toBe(true);
		expect(await busyPorts([{ port, what: "n8n's port" }])).toEqual([]);
		expect(portHolders(port)).toEqual([]);
	});

	it('names an n8n by its user folder', () => {
		const text = explainBusyPorts(
			[{ port: 5678, what: "n8n's port", holders: [{ pid: 41, pgid: 41, command: 'node n8n start', n8nUserFolder: '/x/.demo-cache/user' }] }],
			'--port 5690',
		);
		expect(text).toContain('an n8n (user folder /x/.demo-cache/user), probably from an earlier `npm start` that is still running');
		expect(text).toContain('kill -TERM -- -41');
	});
});

describe('the --real-cloud token check', () => {
	let cloud: FakeCloud;
	beforeAll(async () => {
		cloud = await startFakeCloud({ devices: 3, seed: 4 });
	});
	afterAll(() => cloud.close());

	it('a good token: one GET /v1/devices with the token in the Authorization header only, and the devices', async () => {
		cloud.clearRequests();
		const check = await checkRealCloudToken(`${cloud.url}/`, cloud.tokens.user);
		expect(check.ok).toBe(true);
		if (!check.ok) return;
		expect(check.devices.map((device) => device.id).sort()).toEqual(cloud.fleet.sandboxDevices().map((device) => device.id).sort());
		expect(check.devices.some((device) => device.online)).toBe(true);
		expect(cloud.requests.map((request) => [request.method, request.path, request.query])).toEqual([['GET', '/v1/devices', {}]]);
		expect(cloud.requests[0].authorization).toBe(`Bearer ${cloud.tokens.user}`);
	});

	it('a wrong token: refused with Particle\'s status and words and what to do, the token not echoed', async () => {
		const wrong = 'f'.repeat(40);
		const check = await checkRealCloudToken(cloud.url, wrong);
		expect(check.ok).toBe(false);
		if (check.ok) return;
		expect(check.problem).toContain(`Particle refused the token: HTTP 401 from GET ${cloud.url}/v1/devices: The access token provided is invalid. (invalid_token)`);
		expect(check.problem).toContain('particle token create');
		expect(check.problem).not.toContain(wrong);
	});

	it('a Base URL that redirects is not followed; one that is not a cloud, or not there, says so', async () => {
		let followed = 0;
		const redirecting = createHttpServer((request, response) => {
			if (request.url?.startsWith('/elsewhere')) followed++;
			response.writeHead(302, { location: 'http://127.0.0.1:9/elsewhere' }).end();
		});
		const port = await listen(redirecting);
		try {
			const check = await checkRealCloudToken(`http://127.0.0.1:${port}`, 'a'.repeat(40));
			expect(check).toEqual({
				ok: false,
				problem: expect.stringContaining('answered with a redirect (HTTP 302) to http://127.0.0.1:9'),
			});
			expect(followed).toBe(0);
		} finally {
			await close(redirecting);
		}
		const closedPort = port;
		const unreachable = await checkRealCloudToken(`http://127.0.0.1:${closedPort}`, 'b'.repeat(40));
		expect(unreachable).toEqual({ ok: false, problem: expect.stringContaining('Could not reach') });
		expect(unreachable.ok === false && unreachable.problem).toContain('ECONNREFUSED');

		const html = createHttpServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'));
		const htmlPort = await listen(html);
		try {
			const check = await checkRealCloudToken(`http://127.0.0.1:${htmlPort}`, 'c'.repeat(40));
			expect(check).toEqual({ ok: false, problem: expect.stringContaining('not with a device list') });
		} finally {
			await close(html);
		}
	});
});
