/**
 * The fake's integrations API (create, list, get, edit, delete, test; user and product; the /v1/webhooks twins that
 * particle-api-js uses) and its webhook delivery: real HTTP to a local target, the rendered request, prefix, device and
 * product matching, failures, throttling with the retries of skipped events, time-outs, and close().
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import Particle from 'particle-api-js';
import { startFakeCloud, type FakeCloud, type FleetEvent } from '../../fake-cloud';
import { call, prop } from './helpers';
import { until } from '../harness/wait';

interface Received {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

/** A webhook target on 127.0.0.1 that records what arrives and answers `status` (or never, while `hang` is set). */
class Target {
	readonly received: Received[] = [];
	status = 200;
	answer = 'ok';
	hang = false;
	private server!: Server;

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			let body = '';
			req.setEncoding('utf8');
			req.on('data', (chunk: string) => (body += chunk));
			req.on('end', () => {
				this.received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
				if (this.hang) return;
				res.writeHead(this.status, { 'content-type': 'text/plain' });
				res.end(this.answer);
			});
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return this;
	}

	url(path = '/hook'): string {
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

let cloud: FakeCloud;
let target: Target;
const hookEvents: FleetEvent[] = [];
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 3, products: 2, productDevices: 3, seed: 7 });
	target = await target0();
	cloud.fleet.events.on('event', (event) => {
		if (event.coreid === 'particle-internal') hookEvents.push(event);
	});
});
afterAll(async () => {
	await cloud.close();
	await target.stop();
});
beforeEach(() => {
	target.received.length = 0;
	target.status = 200;
	target.hang = false;
	hookEvents.length = 0;
	cloud.setWebhookTiming({ timeoutMs: 20_000, retryDelaysMs: [30_000, 60_000], cooldownMs: 5_000 });
});

async function target0(): Promise<Target> {
	return await new Target().start();
}

const user = () => cloud.tokens.user;
const productId = () => cloud.productClient.productId;
const sandboxDevice = () => cloud.fleet.sandboxDevices()[0];
const productDevice = () => cloud.fleet.productDevices(productId())[0];

async function createHook(base: string, json: Record<string, unknown>, token = user()): Promise<string> {
	const created = await call(cloud, 'POST', `${base}/integrations`, { token, json: { integration_type: 'Webhook', requestType: 'POST', ...json } });
	expect(created.status).toBe(201);
	return prop(created, 'id') as string;
}

async function removeAll(): Promise<void> {
	for (const base of ['/v1', `/v1/products/${productId()}`]) {
		const listed = await call(cloud, 'GET', `${base}/integrations`, { token: user() });
		for (const integration of listed.body as Array<{ id: string }>) await call(cloud, 'DELETE', `${base}/integrations/${integration.id}`, { token: user() });
	}
}
afterEach(async () => {
	await cloud.webhooksSettled();
	await removeAll();
});

function publishFrom(coreid: string, name: string, data: string | null, extra: Partial<FleetEvent> = {}): void {
	cloud.fleet.publish({ name, data, ttl: 60, private: true, published_at: '2026-03-14T15:26:53.000Z', coreid, ...extra });
}

describe('the integrations API', () => {
	it('creates, lists, gets, edits and deletes a sandbox webhook as the reference shows', async () => {
		const created = await call(cloud, 'POST', '/v1/integrations', {
			token: user(),
			json: { integration_type: 'Webhook', event: 'temp', url: target.url(), requestType: 'POST', headers: { 'X-Key': 'k1' }, name: 'Temp hook' },
		});
		expect(created.status).toBe(201);
		const id = prop(created, 'id') as string;
		expect(id).toMatch(/^[0-9a-f]{24}$/);
		expect(created.body).toEqual({
			ok: true,
			id,
			url: target.url(),
			event: 'temp',
			name: 'Temp hook',
			created_at: expect.any(String),
			integration_type: 'Webhook',
			hookUrl: `${cloud.url}/v1/webhooks/${id}`,
		});

		const listed = await call(cloud, 'GET', '/v1/integrations', { token: user() });
		expect(listed.body).toEqual([
			expect.objectContaining({ id, event: 'temp', integration_type: 'Webhook', url: target.url(), requestType: 'POST', headers: { 'X-Key': 'k1' } }),
		]);
		const got = await call(cloud, 'GET', `/v1/integrations/${id}`, { token: user() });
		expect(got.body).toEqual({ integration: expect.objectContaining({ id, event: 'temp', logs: [] }) });

		const edited = await call(cloud, 'PUT', `/v1/integrations/${id}`, { token: user(), json: { event: 'hum', url: target.url('/h'), requestType: 'PUT' } });
		expect(edited.body).toEqual({ integration: expect.objectContaining({ id, event: 'hum', url: target.url('/h'), requestType: 'PUT' }) });
		// Edit replaces the configuration: the headers are gone.
		expect(prop(edited, 'integration')).not.toHaveProperty('headers');

		const removed = await call(cloud, 'DELETE', `/v1/integrations/${id}`, { token: user() });
		expect(removed.status).toBe(204);
		expect(removed.text).toBe('');
		const gone = await call(cloud, 'GET', `/v1/integrations/${id}`, { token: user() });
		expect(gone.status).toBe(404);
		expect(gone.body).toEqual({ ok: false, error: 'Integration not found' });
	});

	it('keeps product webhooks apart from the sandbox, by product ID or slug', async () => {
		const id = await createHook(`/v1/products/${cloud.productClient.productSlug}`, { event: 'p', url: target.url() });
		expect((await call(cloud, 'GET', `/v1/products/${productId()}/integrations`, { token: user() })).body).toEqual([expect.objectContaining({ id })]);
		expect((await call(cloud, 'GET', '/v1/integrations', { token: user() })).body).toEqual([]);
		expect((await call(cloud, 'GET', `/v1/integrations/${id}`, { token: user() })).status).toBe(404);
		const other = cloud.fleet.products[1].id;
		expect((await call(cloud, 'GET', `/v1/products/${other}/integrations/${id}`, { token: user() })).status).toBe(404);
	});

	it('refuses what the reference does not allow, before creating anything', async () => {
		const bad = async (json: Record<string, unknown>) => {
			const answer = await call(cloud, 'POST', '/v1/integrations', { token: user(), json });
			return { status: answer.status, error: prop(answer, 'error') };
		};
		const base = { integration_type: 'Webhook', event: 'temp', url: target.url(), requestType: 'POST' };
		expect(await bad({ ...base, integration_type: undefined })).toEqual({ status: 400, error: 'integration_type is required' });
		expect(await bad({ ...base, event: '' })).toEqual({ status: 400, error: 'event is required' });
		expect(await bad({ ...base, url: 'ftp://x' })).toEqual({ status: 400, error: 'url must be an http or https URL' });
		expect(await bad({ ...base, requestType: undefined })).toEqual({ status: 400, error: 'requestType is required' });
		expect(await bad({ ...base, requestType: 'PATCH' })).toEqual({ status: 400, error: 'requestType must be GET, POST, PUT or DELETE' });
		expect(await bad({ ...base, json: { a: 1 }, form: { b: '2' } })).toEqual({ status: 400, error: 'json, form are mutually exclusive' });
		expect(await bad({ ...base, headers: 'X: y' })).toEqual({ status: 400, error: 'headers must be an object of key/value pairs' });
		expect((await bad({ ...base, deviceID: '0123456789abcdef01234567' })).status).toBe(404);
		expect((await call(cloud, 'GET', '/v1/integrations', { token: user() })).body).toEqual([]);
	});

	it('lets only the account, the product and API users with the scope in', async () => {
		const json = { integration_type: 'Webhook', event: 'x', url: target.url(), requestType: 'POST' };
		expect((await call(cloud, 'POST', '/v1/integrations', { token: cloud.tokens.customer, json })).status).toBe(403);
		expect((await call(cloud, 'POST', '/v1/integrations', { token: cloud.tokens.apiUser, json })).body).toMatchObject({ error: 'unauthorized' });
		expect((await call(cloud, 'POST', `/v1/products/${productId()}/integrations`, { token: cloud.tokens.apiUser, json })).body).toMatchObject({ error: 'unauthorized' });
		const scoped = cloud.issueToken({ kind: 'apiUser', scopes: ['integrations:create', 'integrations:list'] });
		expect((await call(cloud, 'POST', `/v1/products/${productId()}/integrations`, { token: scoped, json })).status).toBe(201);
		expect((await call(cloud, 'GET', `/v1/products/${productId()}/integrations`, { token: scoped })).status).toBe(200);
		expect((await call(cloud, 'DELETE', `/v1/products/${productId()}/integrations/x`, { token: scoped })).status).toBe(400);
		const otherProduct = cloud.fleet.products[1].id;
		expect((await call(cloud, 'POST', `/v1/products/${otherProduct}/integrations`, { token: scoped, json })).status).toBe(400);
	});

	it('serves particle-api-js: createWebhook, listWebhooks and deleteWebhook, sandbox and product', async () => {
		const particle = new Particle({ baseUrl: cloud.url });
		const device = sandboxDevice();
		const created = await particle.createWebhook({ event: 'js', url: target.url(), device: device.id, auth: user() });
		expect(created.statusCode).toBe(201);
		expect(created.body).toMatchObject({ ok: true, event: 'js', url: target.url() });
		const listed = await particle.listWebhooks({ auth: user() });
		expect(listed.body).toEqual([expect.objectContaining({ id: created.body.id, deviceID: device.id, requestType: 'POST', integration_type: 'Webhook' })]);
		await particle.deleteWebhook({ hookId: created.body.id, auth: user() });
		expect((await particle.listWebhooks({ auth: user() })).body).toEqual([]);

		const product = await particle.createWebhook({ event: 'pjs', url: target.url(), product: productId(), auth: user() });
		expect((await particle.listWebhooks({ product: productId(), auth: user() })).body).toEqual([expect.objectContaining({ id: product.body.id })]);
		await particle.deleteWebhook({ hookId: product.body.id, product: productId(), auth: user() });
	});
});

describe('webhook delivery', () => {
	it('posts the default data form-encoded with the headers, for events whose name starts with the event', async () => {
		const id = await createHook('/v1', { event: 'temp', url: target.url(), headers: { 'X-Secret': 'abc', 'X-Device': '{{{PARTICLE_DEVICE_ID}}}' } });
		const device = sandboxDevice();
		publishFrom(device.id, 'temperature', '21.5 "C" & more');
		publishFrom(device.id, 'humidity', '40');
		publishFrom(device.id, 'hook-response/temperature/0', 'never a trigger');
		await until('one request', () => target.received.length >= 1);
		await cloud.webhooksSettled();
		expect(target.received).toHaveLength(1);
		const [request] = target.received;
		expect(request.method).toBe('POST');
		expect(request.url).toBe('/hook');
		expect(request.headers).toMatchObject({
			'content-type': 'application/x-www-form-urlencoded',
			'user-agent': 'ParticleBot/1.1 (https://docs.particle.io/webhooks)',
			'x-secret': 'abc',
			'x-device': device.id,
		});
		expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
			event: 'temperature',
			data: '21.5 "C" & more',
			published_at: '2026-03-14T15:26:53.000Z',
			coreid: device.id,
		});
		const [delivery] = cloud.webhookDeliveries().filter((entry) => entry.integrationId === id);
		expect(delivery).toMatchObject({ event: 'temperature', state: 'delivered', attempts: [{ outcome: 'delivered', status: 200 }], responseBody: 'ok' });
		expect(hookEvents.map((event) => [event.name, event.data, event.coreid])).toEqual([
			['hook-sent/temperature', '', 'particle-internal'],
			['hook-response/temperature/0', 'ok', 'particle-internal'],
		]);
		const logs = ((await call(cloud, 'GET', `/v1/integrations/${id}`, { token: user() })).body as { integration: { logs: unknown[] } }).integration.logs;
		expect(logs).toEqual([expect.objectContaining({ response: { status: 200, body: 'ok' }, event: expect.objectContaining({ name: 'temperature' }) })]);
	});

	it('keeps each webhook to its scope: its devices, its product, its device', async () => {
		const device = sandboxDevice();
		const other = cloud.fleet.sandboxDevices()[1];
		await createHook('/v1', { event: 'sb', url: target.url('/sandbox') });
		await createHook('/v1', { event: 'sb', url: target.url('/one'), deviceID: device.id });
		await createHook(`/v1/products/${productId()}`, { event: 'sb', url: target.url('/product') });
		await createHook('/v1', { event: 'sb', url: target.url('/off'), disabled: true });
		publishFrom(device.id, 'sb1', 'a');
		publishFrom(other.id, 'sb2', 'b');
		publishFrom(productDevice().id, 'sb3', 'c', { productID: productId(), version: 3 });
		// Another account's device: no webhook of this account hears it.
		publishFrom('ffffffffffffffffffffffff', 'sb4', 'd');
		await until('four requests', () => target.received.length >= 4);
		await cloud.webhooksSettled();
		const by = (path: string) => target.received.filter((entry) => entry.url === path).map((entry) => new URLSearchParams(entry.body).get('event'));
		expect(by('/sandbox').sort()).toEqual(['sb1', 'sb2']);
		expect(by('/one')).toEqual(['sb1']);
		expect(by('/product')).toEqual(['sb3']);
		expect(by('/off')).toEqual([]);
	});

	it('renders json, form, query and custom body templates with the predefined and the data variables', async () => {
		await createHook(`/v1/products/${productId()}`, {
			event: 'tpl/json',
			url: target.url('/json'),
			json: { value: '{{{PARTICLE_EVENT_VALUE}}}', room: '{{room}}', '{{PARTICLE_EVENT_NAME}}': '{{{PRODUCT_ID}}}/{{{PRODUCT_VERSION}}}' },
		});
		await createHook('/v1', { event: 'tpl/get', url: target.url('/get'), requestType: 'GET', query: { q: '{{{temp}}}' } });
		await createHook('/v1', { event: 'tpl/body', url: target.url('/body'), body: '{"t": {{{temp}}}, "esc": "{{room}}"}', noDefaults: true, headers: { 'Content-Type': 'application/json' } });
		await createHook('/v1', { event: 'tpl/form', url: target.url('/form'), form: { field1: '{{{PARTICLE_EVENT_VALUE}}}' }, noDefaults: true });
		const data = JSON.stringify({ temp: 21, room: 'A&B' });
		publishFrom(productDevice().id, 'tpl/json', data, { productID: productId(), version: 3 });
		for (const name of ['tpl/get', 'tpl/body', 'tpl/form']) publishFrom(sandboxDevice().id, name, data);
		await until('four requests', () => target.received.length >= 4);
		const at = (path: string) => target.received.find((entry) => entry.url.split('?')[0] === path)!;
		expect(at('/json').headers['content-type']).toBe('application/json');
		expect(JSON.parse(at('/json').body)).toEqual({
			event: 'tpl/json',
			data,
			published_at: '2026-03-14T15:26:53.000Z',
			coreid: productDevice().id,
			value: data,
			room: 'A&amp;B',
			'tpl/json': `${productId()}/3`,
		});
		const get = new URL(at('/get').url, 'http://x');
		expect(at('/get').body).toBe('');
		expect(Object.fromEntries(get.searchParams)).toEqual({ event: 'tpl/get', data, published_at: '2026-03-14T15:26:53.000Z', coreid: sandboxDevice().id, q: '21' });
		expect(at('/body').body).toBe('{"t": 21, "esc": "A&amp;B"}');
		expect(Object.fromEntries(new URLSearchParams(at('/form').body))).toEqual({ field1: data });
	});

	it('reports an error answer once, without sending it again', async () => {
		const id = await createHook('/v1', { event: 'fail', url: target.url() });
		target.status = 500;
		publishFrom(sandboxDevice().id, 'fail', 'x');
		await until('the request', () => target.received.length >= 1);
		await cloud.webhooksSettled();
		expect(target.received).toHaveLength(1);
		expect(cloud.webhookDeliveries().find((entry) => entry.integrationId === id)).toMatchObject({
			state: 'failed',
			attempts: [{ outcome: 'failed', status: 500, error: 'error status 500 from 127.0.0.1' }],
		});
		expect(hookEvents).toEqual([expect.objectContaining({ name: 'hook-error/fail/0', data: 'error status 500 from 127.0.0.1' })]);
	});

	// Particle rates a target by host name: these get a cloud of their own, so no other test's answers count.
	async function withOwnCloud(run: (own: FakeCloud, createOwn: (event: string, url: string) => Promise<string>) => Promise<void>): Promise<void> {
		const own = await startFakeCloud({ devices: 1, products: 1, productDevices: 1 });
		try {
			await run(own, async (event, url) => {
				const created = await call(own, 'POST', '/v1/integrations', { token: own.tokens.user, json: { integration_type: 'Webhook', event, url, requestType: 'POST' } });
				return prop(created, 'id') as string;
			});
		} finally {
			await own.close();
		}
	}
	const publishIn = (own: FakeCloud, name: string, data: string) =>
		own.fleet.publish({ name, data, ttl: 60, published_at: new Date().toISOString(), coreid: own.fleet.sandboxDevices()[0].id });

	it('skips events to a host that keeps failing, and tries a skipped one again after the retry delays', async () => {
		await withOwnCloud(async (own, createOwn) => {
			own.setWebhookTiming({ retryDelaysMs: [1100, 2000], cooldownMs: 1000 });
			const sleeping: string[] = [];
			own.fleet.events.on('event', (event) => {
				if (event.name.startsWith('hook-error/')) sleeping.push(String(event.data));
			});
			const id = await createOwn('burst', target.url());
			target.status = 503;
			for (let index = 0; index < 5; index++) publishIn(own, 'burst', String(index));
			await until('five failures', () => own.webhookDeliveries().filter((entry) => entry.integrationId === id && entry.state === 'failed').length >= 5);
			target.status = 200;
			publishIn(own, 'burst', 'late');
			await own.webhooksSettled();
			const late = own.webhookDeliveries().find((entry) => entry.request.body?.includes('data=late'))!;
			expect(late.attempts.map((attempt) => attempt.outcome)).toEqual(['skipped', 'delivered']);
			expect(late.attempts[0].error).toBe('Sleeping, too many errors, please wait and try again');
			expect(late.attempts[1].at - late.attempts[0].at).toBeGreaterThanOrEqual(1090);
			expect(target.received.filter((entry) => entry.body.includes('data=late'))).toHaveLength(1);
			expect(sleeping).toContain('Sleeping, too many errors, please wait and try again');
		});
	});

	it('drops a skipped event after its last retry', async () => {
		await withOwnCloud(async (own, createOwn) => {
			own.setWebhookTiming({ retryDelaysMs: [20, 20], cooldownMs: 60_000 });
			const id = await createOwn('drop', target.url());
			target.status = 500;
			for (let index = 0; index < 5; index++) publishIn(own, 'drop', String(index));
			await until('five failures', () => own.webhookDeliveries().filter((entry) => entry.integrationId === id && entry.state === 'failed').length >= 5);
			publishIn(own, 'drop', 'never');
			await own.webhooksSettled();
			const never = own.webhookDeliveries().find((entry) => entry.request.body?.includes('data=never'))!;
			expect(never.state).toBe('dropped');
			expect(never.attempts.map((attempt) => attempt.outcome)).toEqual(['skipped', 'skipped', 'skipped']);
			expect(target.received.filter((entry) => entry.body.includes('data=never'))).toHaveLength(0);
		});
	});

	it('counts a target that does not answer in time as an error', async () => {
		await withOwnCloud(async (own, createOwn) => {
			own.setWebhookTiming({ timeoutMs: 100 });
			const id = await createOwn('slow', target.url());
			target.hang = true;
			publishIn(own, 'slow', 'x');
			await own.webhooksSettled();
			expect(own.webhookDeliveries().find((entry) => entry.integrationId === id)).toMatchObject({
				state: 'failed',
				attempts: [{ outcome: 'failed', status: 0, error: expect.stringContaining('ESOCKETTIMEDOUT') }],
			});
		});
	});

	it('tests an integration: a test event to the target, its answer awaited', async () => {
		const id = await createHook('/v1', { event: 'probe', url: target.url() });
		target.answer = 'thanks';
		const passed = await call(cloud, 'POST', `/v1/integrations/${id}/test`, { token: user() });
		expect(passed.body).toEqual({ pass: true, data: 'thanks' });
		expect(Object.fromEntries(new URLSearchParams(target.received[0].body))).toMatchObject({ event: 'probe', data: 'test-event', coreid: 'api' });
		target.status = 404;
		const failed = await call(cloud, 'POST', `/v1/integrations/${id}/test`, { token: user() });
		expect(failed.body).toEqual({ pass: false, data: null, error: 'error status 404 from 127.0.0.1' });
		target.answer = 'ok';
	});
});

it('stops every delivery and retry when the cloud closes', async () => {
	const own = await startFakeCloud({ devices: 1, products: 1, productDevices: 1 });
	const hang = await new Target().start();
	hang.hang = true;
	own.setWebhookTiming({ retryDelaysMs: [60_000] });
	await call(own, 'POST', '/v1/integrations', { token: own.tokens.user, json: { integration_type: 'Webhook', event: 'e', url: hang.url(), requestType: 'POST' } });
	own.fleet.publish({ name: 'e', data: 'x', ttl: 60, published_at: new Date().toISOString(), coreid: own.fleet.sandboxDevices()[0].id });
	await until('the request', () => hang.received.length === 1);
	const settled = own.webhooksSettled();
	await own.close();
	await settled;
	await hang.stop();
});
