/**
 * The transport door under faults: every Particle error status mapped to a clear n8n error, 429 waited out as the
 * cloud asks, reads retried, writes never sent twice, Continue On Fail item by item, no secret in any error.
 */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 3 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const firstDeviceId = () => cloud().fleet.sandboxDevices()[0].id;
const getDevice = () => ({ resource: 'device', operation: 'get', deviceScope: 'sandbox', device: rl('id', firstDeviceId()) });

function probe(method: string, path: string, body?: object) {
	return { method, path, body: body ? JSON.stringify(body) : '' };
}

describe('error mapping', () => {
	it.each([
		[400, { ok: false, error: 'Invalid name' }, 'Particle rejected the request as invalid: Invalid name', /parameters/],
		[401, { error: 'invalid_token', error_description: 'The access token provided is invalid.' }, 'Particle did not accept the access token: The access token provided is invalid: invalid_token', /Retrying will not help/],
		[403, { ok: false, error: 'Permission Denied' }, 'The Particle token is not allowed to do this: Permission Denied', /lacks the scope/],
		[404, { ok: false, error: 'Device not found.' }, 'Particle could not find the device {device}: Device not found.', /device ID or name/],
		[408, { ok: false, error: 'Timed out.' }, 'The device did not answer in time: Timed out.', /offline, asleep or busy/],
		[500, { ok: false, error: 'Internal error' }, 'The Particle Cloud failed to handle the request (HTTP 500): Internal error', /try again later/],
	])('maps %i to a message in Particle words and a next step', async (status, body, message, next) => {
		cloud().injectFault({ path: '/v1/devices/', status, body, times: 10 });
		const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });

		expect(result.status).toBe('error');
		// {device}: the ID of the device looked up, which the message names.
		expect(result.error?.message).toBe(message.replace('{device}', firstDeviceId()));
		expect(result.error?.description).toMatch(next);
		expect(result.error?.httpCode).toBe(String(status));
	});

	it('turns a failure into an error item for that input item only, with Continue On Fail', async () => {
		const [first, second, third] = cloud().fleet.sandboxDevices();
		cloud().injectFault({ path: `/v1/devices/${second.id}`, status: 404, body: { ok: false, error: 'Device not found.' } });
		const result = await runNode({
			parameters: { ...getDevice(), device: rl('id', '={{ $json.id }}') },
			credentials: userToken(cloud()),
			items: [{ id: first.id }, { id: second.id }, { id: third.id }],
			continueOnFail: true,
		});

		expect(result.status).toBe('success');
		expect(result.items).toEqual([
			{ json: expect.objectContaining({ id: first.id }), pairedItem: { item: 0 } },
			{
				json: {
					error: `Particle could not find the device ${second.id}: Device not found.`,
					description: expect.stringMatching(/device ID/),
					httpCode: '404',
				},
				pairedItem: { item: 1 },
			},
			{ json: expect.objectContaining({ id: third.id }), pairedItem: { item: 2 } },
		]);
	});
});

describe('paths stay under /v1/', () => {
	it.each([['/v1/.%2e/oauth/token'], ['/v1/devices/.%2E/.%2E/admin'], ['/v1/%2e./x']])(
		'the door itself refuses %p, whatever the operation let through',
		async (path) => {
			const result = await runNode({ type: 'particleProbe', parameters: probe('GET', path), credentials: userToken(cloud()) });
			expect(result.error?.message).toMatch(/leaves the Particle API \(\/v1\/\)/);
			expect(cloud().requests).toHaveLength(0);
		},
	);
});

describe('rate limits (429)', () => {
	it('waits as Retry-After says, then sends again', async () => {
		cloud().injectFault({ path: '/v1/devices', status: 429, headers: { 'Retry-After': '1' } });
		const started = Date.now();
		const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });

		expect(result.status).toBe('success');
		const calls = apiCalls(cloud());
		expect(calls.map((call) => call.status)).toEqual([429, 200]);
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('without Retry-After, backs off with jitter (at least half a second), then sends again', async () => {
		cloud().injectFault({ path: '/v1/devices', status: 429 });
		const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });

		expect(result.status).toBe('success');
		const calls = apiCalls(cloud());
		expect(calls.map((call) => call.status)).toEqual([429, 200]);
		expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(450);
	});

	it.each([['-5'], ['5, 10'], ['soon']])(
		'reads a malformed Retry-After (%p) as none: the jittered wait applies, not an immediate resend',
		async (retryAfter) => {
			cloud().injectFault({ path: '/v1/devices', status: 429, headers: { 'Retry-After': retryAfter } });
			const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });

			expect(result.status).toBe('success');
			const calls = apiCalls(cloud());
			expect(calls.map((call) => call.status)).toEqual([429, 200]);
			// Read as a date in 2001 before: sent again at once.
			expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(450);
		},
	);

	it('says it did not wait when Particle asks for longer than n8n waits', async () => {
		cloud().injectFault({ path: '/v1/devices', status: 429, headers: { 'Retry-After': '3600' } });
		const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });
		expect(result.error?.description).toMatch(/asked to wait 3600 s, longer than the 60 s n8n waits, so it was not sent again/);
		expect(apiCalls(cloud())).toHaveLength(1);
	});

	it('sends a write again after 429: the cloud refused it before anything ran', async () => {
		cloud().injectFault({ method: 'POST', path: '/v1/devices/events', status: 429, headers: { 'Retry-After': '0' } });
		const result = await runNode({
			type: 'particleProbe',
			parameters: probe('POST', '/v1/devices/events', { name: 'probe', data: 'x' }),
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('success');
		expect(apiCalls(cloud()).map((call) => call.status)).toEqual([429, 200]);
	});

	it('honours the fake cloud rate limiter end to end', async () => {
		cloud().setRateLimit({ max: 2, windowMs: 1000, retryAfterSeconds: 1 });
		const result = await runNode({
			parameters: getDevice(),
			credentials: userToken(cloud()),
			items: [{}, {}, {}],
		});
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(3);
		expect(apiCalls(cloud()).map((call) => call.status)).toEqual([200, 200, 429, 200]);
	});
});

describe('retries', () => {
	it.each([500, 502, 503])('retries a read after %i', async (status) => {
		cloud().injectFault({ path: '/v1/devices', status, times: 2 });
		const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });

		expect(result.status).toBe('success');
		expect(apiCalls(cloud()).map((call) => call.status)).toEqual([status, status, 200]);
	});

	it('retries a read after a reset connection', async () => {
		cloud().injectFault({ path: '/v1/devices', dropConnection: true });
		const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });
		expect(result.status).toBe('success');
		expect(apiCalls(cloud()).map((call) => call.status)).toEqual([0, 200]);
	});

	it('gives up on a read after a bounded number of tries, saying so', async () => {
		cloud().injectFault({ path: '/v1/devices', status: 503, times: 100 });
		const result = await runNode({ parameters: getDevice(), credentials: userToken(cloud()) });
		expect(result.status).toBe('error');
		expect(apiCalls(cloud())).toHaveLength(4);
		expect(result.error?.description).toMatch(/Sent 3 more times first/);
	});

	it.each([
		['a 500', { status: 500 }],
		['a 503', { status: 503 }],
		['a 408', { status: 408, body: { ok: false, error: 'Timed out.' } }],
		['a reset connection', { dropConnection: true }],
	])('never sends a POST again after %s', async (_what, fault) => {
		const device = firstDeviceId();
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${device}/`, ...fault, times: 5 });
		const result = await runNode({
			type: 'particleProbe',
			parameters: probe('POST', `/v1/devices/${device}/led`, { arg: 'on' }),
			credentials: userToken(cloud()),
		});

		expect(result.status).toBe('error');
		expect(apiCalls(cloud())).toHaveLength(1);
		expect(result.error?.description).toMatch(/not sent again: the device may already have acted/);
	});
});

describe('secrets', () => {
	it('keeps the token out of URLs and out of every error, description and stored run', async () => {
		const token = cloud().issueToken({ kind: 'user' });
		const statuses = [400, 401, 403, 404, 408, 429, 500];
		for (const status of statuses) {
			cloud().injectFault({
				path: '/v1/devices',
				status,
				// A hostile server echoing the token must not get it shown either.
				body: { ok: false, error: `failed for access_token=${token}`, info: token },
				headers: status === 429 ? { 'Retry-After': '100000' } : {},
				times: 10,
			});
			const result = await runNode({
				parameters: getDevice(),
				credentials: { ...userToken(cloud()), accessToken: token },
				continueOnFail: status % 2 === 0,
			});
			const everything = JSON.stringify([result.error?.message, result.error?.description, result.items, result.run ?? null]);
			expect(everything).not.toContain(token);
			cloud().clearFaults();
		}
		for (const call of cloud().requests) {
			expect(call.path).not.toContain(token);
			expect(JSON.stringify(call.query)).not.toContain(token);
			expect(call.authorization).toBe(`Bearer ${token}`);
		}
	});
});
