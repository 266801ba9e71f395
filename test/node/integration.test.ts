/**
 * Integration > Create / Get Many / Get / Test / Delete through n8n's engine against the fake cloud: the request that
 * reached the cloud (method, raw path, JSON body, bearer token), the items, input refused before sending, the
 * trigger's secret header hidden in every item, and writes (Delete, Test) never sent twice.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 3, products: 1, productDevices: 2 });
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const productId = () => cloud().productClient.productId;

let target: Server;
let targetUrl: string;
const received: string[] = [];
beforeAll(async () => {
	target = createServer((req, res) => {
		let body = '';
		req.on('data', (chunk: Buffer) => (body += chunk.toString()));
		req.on('end', () => {
			received.push(body);
			res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'text/plain' });
			res.end('received');
		});
	});
	await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
	targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
	target.closeAllConnections();
	await new Promise<void>((resolve) => target.close(() => resolve()));
});
afterEach(async () => {
	await cloud().webhooksSettled();
	for (const base of ['/v1', `/v1/products/${productId()}`]) {
		const listed = (await (await fetch(`${cloud().url}${base}/integrations`, { headers: { authorization: `Bearer ${cloud().tokens.user}` } })).json()) as IDataObject[];
		for (const integration of listed) {
			await fetch(`${cloud().url}${base}/integrations/${String(integration.id)}`, { method: 'DELETE', headers: { authorization: `Bearer ${cloud().tokens.user}` } });
		}
	}
	cloud().clearRequests();
});

function run(parameters: IDataObject, continueOnFail = false) {
	return runNode({ parameters: { resource: 'integration', ...parameters }, credentials: user(), continueOnFail });
}

async function create(parameters: IDataObject = {}): Promise<string> {
	const result = await run({ operation: 'create', eventName: 'temp', url: targetUrl, ...parameters });
	expect(result.status).toBe('success');
	return String(result.items[0].json.id);
}

const calls = () => apiCalls(cloud()).map(({ method, path, body, authorization }) => ({ method, path, body, authorization }));
const bearer = () => `Bearer ${cloud().tokens.user}`;

describe('Integration > Create', () => {
	it('creates a sandbox webhook with Particle\'s fields and returns Particle\'s answer', async () => {
		const device = cloud().fleet.sandboxDevices()[0].id;
		const result = await run({
			operation: 'create',
			eventName: 'temp',
			url: targetUrl,
			requestType: 'PUT',
			deviceId: device.toUpperCase(),
			additionalFields: {
				name: 'Kitchen',
				headers: { pair: [{ name: 'X-Key', value: 'k' }] },
				json: '{"value": "{{{PARTICLE_EVENT_VALUE}}}"}',
				noDefaults: true,
				rejectUnauthorized: false,
				responseTopic: 'reply',
			},
		});
		expect(result.status).toBe('success');
		expect(calls()).toEqual([
			{
				method: 'POST',
				path: '/v1/integrations',
				authorization: bearer(),
				body: {
					integration_type: 'Webhook',
					event: 'temp',
					url: targetUrl,
					requestType: 'PUT',
					deviceID: device,
					name: 'Kitchen',
					responseTopic: 'reply',
					json: { value: '{{{PARTICLE_EVENT_VALUE}}}' },
					headers: { 'X-Key': 'k' },
					noDefaults: true,
					rejectUnauthorized: false,
				},
			},
		]);
		expect(result.items).toEqual([
			{
				json: { ok: true, id: expect.stringMatching(/^[0-9a-f]{24}$/), url: targetUrl, event: 'temp', name: 'Kitchen', created_at: expect.any(String), integration_type: 'Webhook', hookUrl: expect.any(String) },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('creates a product webhook by slug, with form fields and query parameters, and no device', async () => {
		const result = await run({
			operation: 'create',
			deviceScope: 'product',
			product: rl('id', cloud().productClient.productSlug),
			eventName: 'fleet',
			url: targetUrl,
			deviceId: 'ignored-here',
			additionalFields: { form: { pair: [{ name: 'field1', value: '{{{PARTICLE_EVENT_VALUE}}}' }] }, query: { pair: [{ name: 'k', value: 'v' }] } },
		});
		expect(result.status).toBe('success');
		expect(calls()).toEqual([
			{
				method: 'POST',
				path: `/v1/products/${cloud().productClient.productSlug}/integrations`,
				authorization: bearer(),
				body: { integration_type: 'Webhook', event: 'fleet', url: targetUrl, requestType: 'POST', form: { field1: '{{{PARTICLE_EVENT_VALUE}}}' }, query: { k: 'v' } },
			},
		]);
	});

	it.each([
		// From expressions: n8n's own checks of the static values pass, the node's checks catch them.
		[{ eventName: '={{ "" }}' }, 'Event Name is empty'],
		[{ eventName: 'x'.repeat(65) }, 'Event Name is 65 characters long'],
		[{ url: 'ftp://example.com' }, 'URL must be an http or https address'],
		[{ url: 'not a url' }, 'URL must be an http or https address'],
		[{ requestType: 'PATCH' }, 'Request Type must be one of'],
		[{ deviceId: 'kitchen' }, 'Device ID must be 24 hexadecimal characters'],
		[{ additionalFields: { json: '{"a": 1}', body: 'x' } }, 'Use only one of JSON Template, Custom Body'],
		[{ additionalFields: { json: 'not json' } }, 'JSON Template must be a JSON object'],
		[{ deviceScope: 'product', product: rl('id', '={{ "Not A Slug" }}') }, 'Product must be a product ID'],
	])('refuses %j before sending anything', async (parameters, message) => {
		const result = await run({ operation: 'create', eventName: 'temp', url: targetUrl, ...parameters });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(message);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('keeps a JSON Template that is JSON only once its templates are filled in as text', async () => {
		await create({ additionalFields: { json: '{"t": {{{temp}}}}' } });
		expect(calls()[0].body).toMatchObject({ json: '{"t": {{{temp}}}}' });
	});
});

describe('Integration > Get Many / Get', () => {
	it('lists the sandbox\'s integrations, one item each, up to the limit', async () => {
		const first = await create({ eventName: 'a' });
		const second = await create({ eventName: 'b' });
		await create({ deviceScope: 'product', product: rl('id', String(productId())), eventName: 'c' });
		cloud().clearRequests();
		const all = await run({ operation: 'getAll', returnAll: true });
		expect(calls()).toEqual([{ method: 'GET', path: '/v1/integrations', authorization: bearer(), body: undefined }]);
		expect(all.items.map((item) => [item.json.id, item.json.event, item.json.integration_type])).toEqual([
			[first, 'a', 'Webhook'],
			[second, 'b', 'Webhook'],
		]);
		const limited = await run({ operation: 'getAll', returnAll: false, limit: 1 });
		expect(limited.items.map((item) => item.json.id)).toEqual([first]);
		const product = await run({ operation: 'getAll', deviceScope: 'product', product: rl('list', String(productId())), returnAll: true });
		expect(product.items.map((item) => item.json.event)).toEqual(['c']);
	});

	it('gets one integration with its logs, and hides the Webhook Trigger\'s secret header everywhere', async () => {
		const secret = 'f'.repeat(64);
		const id = await create({ additionalFields: { headers: { pair: [{ name: 'X-Particle-N8n-Secret', value: secret }, { name: 'X-Other', value: 'shown' }] } } });
		cloud().fleet.publish({ name: 'temp', data: '1', ttl: 60, published_at: new Date().toISOString(), coreid: cloud().fleet.sandboxDevices()[0].id });
		await cloud().webhooksSettled();
		cloud().clearRequests();
		const got = await run({ operation: 'get', integrationId: id });
		expect(calls()).toEqual([{ method: 'GET', path: `/v1/integrations/${id}`, authorization: bearer(), body: undefined }]);
		expect(got.items[0].json).toMatchObject({ id, event: 'temp', headers: { 'X-Particle-N8n-Secret': '(hidden by n8n)', 'X-Other': 'shown' } });
		expect((got.items[0].json.logs as IDataObject[])[0]).toMatchObject({ response: { status: 200, body: 'received' } });
		const many = await run({ operation: 'getAll', returnAll: true });
		expect(JSON.stringify([got.items, many.items])).not.toContain(secret);
	});

	it('fails clearly for an unknown integration, and refuses a malformed ID before sending', async () => {
		const missing = await run({ operation: 'get', integrationId: '0123456789abcdef01234567' });
		expect(missing.status).toBe('error');
		expect(missing.error?.httpCode).toBe('404');
		cloud().clearRequests();
		const malformed = await run({ operation: 'get', integrationId: '../devices' });
		expect(malformed.error?.message).toContain('Integration ID must be letters and digits');
		expect(apiCalls(cloud())).toEqual([]);
	});
});

describe('Integration > Test / Delete', () => {
	it('tests an integration: Particle sends a test event and says whether the target answered with success', async () => {
		const id = await create();
		received.length = 0;
		cloud().clearRequests();
		const passed = await run({ operation: 'test', integrationId: id });
		expect(calls()).toEqual([{ method: 'POST', path: `/v1/integrations/${id}/test`, authorization: bearer(), body: undefined }]);
		expect(passed.items[0].json).toEqual({ id, pass: true, data: 'received' });
		expect(received).toHaveLength(1);

		const failing = await create({ url: targetUrl.replace('/hook', '/missing') });
		const failed = await run({ operation: 'test', integrationId: failing });
		expect(failed.items[0].json).toEqual({ id: failing, pass: false, data: null, error: 'error status 404 from 127.0.0.1' });
	});

	it('deletes an integration of a product', async () => {
		const id = await create({ deviceScope: 'product', product: rl('id', String(productId())) });
		cloud().clearRequests();
		const deleted = await run({ operation: 'delete', deviceScope: 'product', product: rl('id', String(productId())), integrationId: id });
		expect(calls()).toEqual([{ method: 'DELETE', path: `/v1/products/${productId()}/integrations/${id}`, authorization: bearer(), body: undefined }]);
		expect(deleted.items).toEqual([{ json: { deleted: true, id }, pairedItem: { item: 0 } }]);
		const again = await run({ operation: 'delete', deviceScope: 'product', product: rl('id', String(productId())), integrationId: id }, true);
		expect(again.items[0].json.error).toEqual(expect.any(String));
	});

	it.each([
		['delete', 'DELETE', ''],
		['test', 'POST', '/test'],
	])('never sends %s twice after a 5xx, a 408 or a dropped connection', async (operation, method, suffix) => {
		const id = await create();
		for (const fault of [{ status: 503 }, { status: 408 }, { dropConnection: true }]) {
			cloud().clearRequests();
			cloud().injectFault({ method, path: `/v1/integrations/${id}${suffix}`, ...fault });
			const result = await run({ operation, integrationId: id });
			expect(result.status).toBe('error');
			expect(apiCalls(cloud()).filter((request) => request.method === method)).toHaveLength(1);
		}
	});

	it('reads the list again after a 5xx (a read)', async () => {
		cloud().injectFault({ method: 'GET', path: '/v1/integrations', status: 503 });
		const result = await run({ operation: 'getAll', returnAll: true });
		expect(result.status).toBe('success');
		expect(apiCalls(cloud()).map((request) => request.status)).toEqual([503, 200]);
	});
});
