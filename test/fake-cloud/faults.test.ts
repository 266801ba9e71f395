import { request } from 'node:http';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call } from './helpers';

let cloud: FakeCloud;
let token: string;
let deviceId: string;
beforeAll(async () => {
	cloud = await startFakeCloud();
	token = cloud.tokens.user;
	deviceId = cloud.fleet.sandboxDevices()[0].id;
});
afterEach(() => {
	cloud.clearFaults();
	cloud.setRateLimit(null);
	cloud.setLatency(0);
	cloud.setSlowDevice(deviceId, null);
});
afterAll(() => cloud.close());

const list = (): ReturnType<typeof call> => call(cloud, 'GET', '/v1/devices', { token });

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const start = Date.now();
	const value = await work();
	return { value, ms: Date.now() - start };
}

describe('injected faults', () => {
	test('a status fault answers once with a Particle-shaped body, then the route works again', async () => {
		cloud.injectFault({ status: 500 });
		expect(await list()).toMatchObject({ status: 500, body: { ok: false, error: 'Internal Server Error' } });
		expect((await list()).status).toBe(200);
	});

	test('matching by method and path prefix or RegExp; times; first matching rule wins', async () => {
		cloud.injectFault({ method: 'post', path: '/v1/devices', status: 502 });
		cloud.injectFault({ path: /^\/v1\/devices\/[0-9a-f]{24}$/, status: 503, times: 2 });
		cloud.injectFault({ path: '/v1/devices', status: 504 });
		expect((await call(cloud, 'GET', `/v1/devices/${deviceId}`, { token })).status).toBe(503);
		expect((await call(cloud, 'GET', `/v1/devices/${deviceId}`, { token })).status).toBe(503);
		expect((await call(cloud, 'GET', `/v1/devices/${deviceId}`, { token })).status).toBe(504);
		expect((await call(cloud, 'GET', `/v1/devices/${deviceId}`, { token })).status).toBe(200);
		expect((await call(cloud, 'POST', `/v1/devices/${deviceId}/led`, { token, json: { arg: 'on' } })).status).toBe(502);
	});

	test('custom body and headers; a string body is sent as text', async () => {
		cloud.injectFault({ status: 503, body: { error: 'maintenance' }, headers: { 'Retry-After': '2' } });
		const json = await list();
		expect(json).toMatchObject({ status: 503, body: { error: 'maintenance' } });
		expect(json.headers.get('retry-after')).toBe('2');
		cloud.injectFault({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } });
		const html = await list();
		expect(html.text).toBe('<html>Bad Gateway</html>');
		expect(html.headers.get('content-type')).toBe('text/html');
	});

	test('dropConnection resets the socket; the request is recorded with status 0', async () => {
		cloud.clearRequests();
		cloud.injectFault({ path: '/v1/devices', dropConnection: true });
		await expect(list()).rejects.toThrow();
		expect(cloud.requests).toHaveLength(1);
		expect(cloud.requests[0]).toMatchObject({ method: 'GET', path: '/v1/devices', status: 0 });
		expect((await list()).status).toBe(200);
	});

	test('delayMs alone delays a normal answer; with a status it delays the fault', async () => {
		cloud.injectFault({ delayMs: 120 });
		const slow = await timed(list);
		expect(slow.value.status).toBe(200);
		expect(slow.ms).toBeGreaterThanOrEqual(110);
		cloud.injectFault({ delayMs: 60, status: 500 });
		const failing = await timed(list);
		expect(failing.value.status).toBe(500);
		expect(failing.ms).toBeGreaterThanOrEqual(50);
	});

	test('latency is added to every response', async () => {
		cloud.setLatency(80);
		expect((await timed(list)).ms).toBeGreaterThanOrEqual(70);
		expect((await timed(() => call(cloud, 'GET', '/nope'))).ms).toBeGreaterThanOrEqual(70);
	});
});

describe('rate limit', () => {
	test('429 after max requests in the window, without Retry-After unless configured', async () => {
		cloud.setRateLimit({ max: 3, windowMs: 60_000 });
		for (let i = 0; i < 3; i++) expect((await list()).status).toBe(200);
		const limited = await list();
		expect(limited).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
		expect(limited.headers.get('retry-after')).toBeNull();
		cloud.setRateLimit({ max: 1, windowMs: 60_000, retryAfterSeconds: 7 });
		expect((await list()).status).toBe(200);
		const again = await list();
		expect(again.status).toBe(429);
		expect(again.headers.get('retry-after')).toBe('7');
	});

	test('the window slides: requests are allowed again once it has passed', async () => {
		// On the fake's clock, pinned: a slow machine cannot let the window pass between the requests.
		cloud.setClock(cloud.now());
		try {
			cloud.setRateLimit({ max: 2, windowMs: 150 });
			expect((await list()).status).toBe(200);
			expect((await list()).status).toBe(200);
			expect((await list()).status).toBe(429);
			cloud.advanceClock(149);
			expect((await list()).status).toBe(429);
			cloud.advanceClock(1);
			expect((await list()).status).toBe(200);
		} finally {
			cloud.setClock(() => Date.now());
		}
	});

	test('rate limiting is on from the options too, and counts /oauth/token', async () => {
		const limited = await startFakeCloud({ rateLimit: { max: 1, windowMs: 60_000, retryAfterSeconds: 1 } });
		try {
			expect((await call(limited, 'POST', '/oauth/token', { form: { grant_type: 'password' } })).status).toBe(401);
			const res = await call(limited, 'POST', '/oauth/token', { form: { grant_type: 'password' } });
			expect(res.status).toBe(429);
			expect(limited.requests.map((r) => r.status)).toEqual([401, 429]);
		} finally {
			await limited.close();
		}
	});
});

describe('slow devices', () => {
	test('variable, function and ping calls wait, then 408 Timed out.; the function does not run', async () => {
		cloud.setSlowDevice(deviceId, 80);
		const device = cloud.fleet.devices.get(deviceId);
		const callsBefore = device?.calls.length;
		for (const [method, suffix] of [['GET', '/temperature'], ['POST', '/led'], ['PUT', '/ping']] as const) {
			const res = await timed(() => call(cloud, method, `/v1/devices/${deviceId}${suffix}`, { token, json: method === 'GET' ? undefined : { arg: 'on' } }));
			expect(res.value).toMatchObject({ status: 408, body: { ok: false, error: 'Timed out.' } });
			expect(res.ms).toBeGreaterThanOrEqual(70);
		}
		expect(device?.calls.length).toBe(callsBefore);
		// Device info does not contact the device.
		expect((await call(cloud, 'GET', `/v1/devices/${deviceId}`, { token })).status).toBe(200);
		cloud.setSlowDevice(deviceId, null);
		expect((await call(cloud, 'GET', `/v1/devices/${deviceId}/temperature`, { token })).status).toBe(200);
	});
});

describe('recording and robustness', () => {
	test('inFlight counts the requests being served when one arrives; answered, dropped or ended ones stop counting', async () => {
		cloud.clearRequests();
		// An event stream stays open until the client leaves: held by construction, not by a timer.
		const stream = request(`${cloud.url}/v1/devices/events`, { headers: { authorization: `Bearer ${token}` } });
		await new Promise<void>((resolve) => stream.on('response', () => resolve()).end());
		await list();
		stream.destroy();
		while (cloud.openStreams() > 0) await new Promise((r) => setTimeout(r, 5));
		cloud.injectFault({ path: '/v1/devices', dropConnection: true });
		await expect(list()).rejects.toThrow();
		await list();
		expect(cloud.requests.map((r) => [r.path, r.inFlight])).toEqual([
			['/v1/devices/events', 1],
			['/v1/devices', 2],
			['/v1/devices', 1],
			['/v1/devices', 1],
		]);
	});

	test('the clock moves forward only and takes finite numbers', () => {
		expect(() => cloud.advanceClock(-1)).toThrow(RangeError);
		expect(() => cloud.setClock(Number.NaN)).toThrow(RangeError);
	});

	test('every request is recorded with raw path, query, headers, bodies and status', async () => {
		cloud.clearRequests();
		await call(cloud, 'POST', `/v1/devices/${deviceId}/setColor?format=raw&x=1&x=2`, { token, form: { arg: '1,2,3' } });
		await call(cloud, 'PUT', `/v1/devices/${deviceId}`, { token, json: { notes: 'n' } });
		await call(cloud, 'GET', '/v1/devices');
		expect(cloud.requests).toEqual([
			expect.objectContaining({
				method: 'POST',
				path: `/v1/devices/${deviceId}/setColor`,
				query: { format: 'raw', x: ['1', '2'] },
				authorization: `Bearer ${token}`,
				contentType: 'application/x-www-form-urlencoded',
				rawBody: 'arg=1%2C2%2C3',
				body: { arg: '1,2,3' },
				status: 200,
			}),
			expect.objectContaining({ method: 'PUT', body: { notes: 'n' }, contentType: 'application/json', status: 200 }),
			expect.objectContaining({ method: 'GET', authorization: undefined, body: undefined, status: 401 }),
		]);
		expect(cloud.requests[0].headers.authorization).toBe(`Bearer ${token}`);
		expect(cloud.requests[0].at).toBeLessThanOrEqual(Date.now());
	});

	test('broken JSON → 400; an oversized body → 413', async () => {
		const broken = await fetch(`${cloud.url}/v1/devices/${deviceId}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"notes":' });
		expect(broken.status).toBe(400);
		const huge = await call(cloud, 'POST', '/v1/devices/events', { token, json: { name: 'big', data: 'x'.repeat(1_100_000) } });
		expect(huge.status).toBe(413);
	});

	test('close() ends promptly while a slow call is pending', async () => {
		const other = await startFakeCloud();
		const id = other.fleet.sandboxDevices()[0].id;
		other.setSlowDevice(id, 10_000);
		const pending = call(other, 'GET', `/v1/devices/${id}/temperature`, { token: other.tokens.user });
		while (other.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
		await other.close();
		// Ordering, not a stopwatch: close() resolved while the 10 s wait was still on, so the call was never answered.
		expect(other.requests[0].status).toBe(0);
		await expect(pending).rejects.toThrow();
	});
});
