/** Custom API Call: any /v1 path through the same door and credential. */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 3 });

describe('Custom API Call', () => {
	it('sends a GET with query parameters and returns the answer', async () => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/access_tokens/current', query: '{"verbose":"1"}' },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'GET',
			path: '/v1/access_tokens/current',
			query: { verbose: '1' },
			authorization: `Bearer ${cloud().tokens.user}`,
		});
		expect(result.items[0]).toEqual({ json: expect.objectContaining({ scopes: expect.any(Array) }), pairedItem: { item: 0 } });
	});

	it('turns a list answer into one item per element', async () => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/devices' },
			credentials: userToken(cloud()),
		});
		expect(result.items).toHaveLength(3);
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('sends a JSON body with PUT', async () => {
		const device = cloud().fleet.sandboxDevices()[0];
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'PUT', path: `/v1/devices/${device.id}`, body: { notes: 'from n8n' } },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'PUT', body: { notes: 'from n8n' } });
		expect(result.items[0].json).toMatchObject({ id: device.id, notes: 'from n8n' });
		expect(device.notes).toBe('from n8n');
	});

	it.each([
		['/v1/devices/../products', /is not a Particle API path/],
		['/v1/devices?x=1', /is not a Particle API path/],
		['/v2/devices', /is not a Particle API path/],
		['https://evil.example/v1/devices', /is not a Particle API path/],
		['/v1/', /is not a Particle API path/],
		// The URL parser reads each of these as "..": they used to pass the guard and send the token outside /v1/.
		['/v1/.%2e/oauth/token', /is not a Particle API path/],
		['/v1/%2e./x', /is not a Particle API path/],
		['/v1/devices/.%2E/.%2E/admin', /is not a Particle API path/],
		['/v1/%2E%2E', /is not a Particle API path/],
		['/v1/devices%2f..%2fadmin', /is not a Particle API path/],
		['/v1/devices%5c..%5cadmin', /is not a Particle API path/],
		['/v1/%zz', /is not a Particle API path/],
	])('refuses the path %p before sending', async (path, message) => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toMatch(message);
		expect(cloud().requests).toHaveLength(0);
	});

	it('refuses a token in the query', async () => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/devices', query: { access_token: 'x' } },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('Do not put access_token in the query or body');
		expect(cloud().requests).toHaveLength(0);
	});

	it('keeps every request under the Base URL\'s own /v1/ when the Base URL has a path', async () => {
		// A private cloud behind a path prefix: nothing may climb out of it, whatever the path says.
		const { startHostileServer } = await import('../harness/hostile');
		const front = await startHostileServer(cloud().url);
		try {
			const credentials = { ...userToken(cloud()), baseUrl: `${front.url}/particle` };
			const result = await runNode({
				parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/%2e%2e/%2e%2e/admin' },
				credentials,
			});
			expect(result.error?.message).toMatch(/is not a Particle API path/);
			const fine = await runNode({ parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/devices' }, credentials });
			expect(fine.status).toBe('error');
			expect(front.seen.map((request) => request.url)).toEqual(['/particle/v1/devices']);
		} finally {
			await front.close();
		}
	});
});
