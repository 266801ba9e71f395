/**
 * The Particle Webhook Trigger through n8n-core's HookContext (checkExists / create / delete, as n8n's activation runs
 * them) and WebhookContext (each request, with the static data as n8n saved it), against the fake cloud, which really
 * POSTs matching events to the trigger's URL: the integration it creates, finding it again after a restart, deleting
 * it, the secret header, the item shape, JSON and text data, product scope and the device filter.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ParticleWebhookTrigger } from '../../nodes/ParticleWebhookTrigger/ParticleWebhookTrigger.node';
import { eventFromWebhookBody, sameSecret } from '../../nodes/ParticleWebhookTrigger/receive';
import type { FleetEvent } from '../../fake-cloud';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { activateWebhookTrigger, startWebhookHost, type ActiveWebhookTrigger, type WebhookHost } from '../harness/engine';
import { PACKAGE_PREFIX, registerNodeType } from '../harness/nodeTypes';
import { pause, until } from '../harness/wait';

registerNodeType(`${PACKAGE_PREFIX}particleWebhookTrigger`, new ParticleWebhookTrigger());

const cloud = useFakeCloud({ devices: 3, products: 1, productDevices: 3, seed: 5 });
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const HEADER = 'x-particle-n8n-secret';

let host: WebhookHost;
beforeAll(async () => {
	host = await startWebhookHost();
});
afterAll(async () => {
	await host.close();
});

const active: ActiveWebhookTrigger[] = [];
afterEach(async () => {
	await cloud().webhooksSettled();
	for (const trigger of active.splice(0)) await trigger.deactivate();
});

async function activate(parameters: INodeParameters, extra: { staticData?: IDataObject; webhookId?: string; activation?: 'activate' | 'init' } = {}) {
	const trigger = await activateWebhookTrigger({ host, parameters, credentials: userToken(cloud()), ...extra });
	active.push(trigger);
	return trigger;
}

interface NodeState {
	integrationId?: string;
	integrationProduct?: string | null;
	secret?: string;
}
const stateOf = (trigger: ActiveWebhookTrigger) => (trigger.savedStaticData()['node:Particle'] ?? {}) as NodeState;

const sandboxDevices = () => cloud().fleet.sandboxDevices();
const productId = () => cloud().productClient.productId;
const productSlug = () => cloud().productClient.productSlug;

function publish(coreid: string, name: string, data: string | null, extra: Partial<FleetEvent> = {}): void {
	cloud().fleet.publish({ name, data, ttl: 60, private: true, published_at: '2026-03-14T15:26:53.000Z', coreid, ...extra });
}

async function listIntegrations(path = '/v1/integrations'): Promise<Array<Record<string, unknown>>> {
	const res = await fetch(`${cloud().url}${path}`, { headers: { authorization: `Bearer ${cloud().tokens.user}` } });
	return (await res.json()) as Array<Record<string, unknown>>;
}

async function postToTrigger(trigger: ActiveWebhookTrigger, form: Record<string, string>, headers: Record<string, string> = {}) {
	const res = await fetch(trigger.url, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form).toString(),
	});
	return { status: res.status, body: await res.text() };
}

describe('Particle Webhook Trigger: the integration', () => {
	it('creates one integration to its production URL with a random secret header, keeps it in static data, and deletes it', async () => {
		const trigger = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		expect(trigger.url).toBe(`${host.baseUrl}/a1b2c3d4-0000-4000-8000-00000000beef/webhook`);
		const calls = apiCalls(cloud());
		expect(calls.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /v1/integrations', 'POST /v1/integrations']);
		for (const request of calls) expect(request.authorization).toBe(`Bearer ${cloud().tokens.user}`);
		const state = stateOf(trigger);
		expect(state).toEqual({ integrationId: expect.stringMatching(/^[0-9a-f]{24}$/), integrationProduct: null, secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(calls[1].contentType).toContain('application/json');
		expect(calls[1].body).toEqual({
			integration_type: 'Webhook',
			event: 'temp',
			url: trigger.url,
			requestType: 'POST',
			name: 'n8n: Particle webhook test',
			headers: { 'X-Particle-N8n-Secret': state.secret },
		});
		expect(await listIntegrations()).toEqual([expect.objectContaining({ id: state.integrationId, url: trigger.url, event: 'temp', integration_type: 'Webhook' })]);

		cloud().clearRequests();
		active.splice(active.indexOf(trigger), 1);
		expect(await trigger.deactivate()).toBe(true);
		expect(apiCalls(cloud()).map(({ method, path, status }) => `${method} ${path} ${status}`)).toEqual([`DELETE /v1/integrations/${state.integrationId} 204`]);
		expect(stateOf(trigger)).toEqual({});
		expect(await listIntegrations()).toEqual([]);
	});

	it('finds its own integration after a restart (static data read back from JSON) and creates no second one', async () => {
		const first = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		const saved = JSON.parse(JSON.stringify(first.savedStaticData())) as IDataObject;
		active.splice(0);
		cloud().clearRequests();

		const restarted = await activate({ deviceScope: 'sandbox', eventName: 'temp' }, { staticData: saved, activation: 'init' });
		expect(apiCalls(cloud()).map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /v1/integrations']);
		expect(stateOf(restarted)).toEqual(stateOf(first));
		expect(await listIntegrations()).toHaveLength(1);

		publish(sandboxDevices()[0].id, 'temp', '20');
		await until('the event after the restart', () => restarted.emitted.length === 1);
	});

	it('replaces an integration made for it whose secret it lost, so there is still one, and the new secret works', async () => {
		const first = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		const lost = stateOf(first).integrationId;
		active.splice(0);
		cloud().clearRequests();

		// The database was restored without the static data: same node, same URL, no secret.
		const again = await activate({ deviceScope: 'sandbox', eventName: 'temp' }, { staticData: {}, activation: 'init' });
		expect(apiCalls(cloud()).map(({ method, path }) => `${method} ${path}`)).toEqual([
			'GET /v1/integrations',
			`DELETE /v1/integrations/${lost}`,
			'POST /v1/integrations',
		]);
		const listed = await listIntegrations();
		expect(listed).toEqual([expect.objectContaining({ id: stateOf(again).integrationId, url: again.url })]);
		publish(sandboxDevices()[0].id, 'temp', '21');
		await until('the event', () => again.emitted.length === 1);
	});

	it('creates a new integration when the kept one was deleted in the console, or when the event name changed', async () => {
		const first = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		const saved = first.savedStaticData();
		active.splice(0);
		await fetch(`${cloud().url}/v1/integrations/${stateOf(first).integrationId}`, { method: 'DELETE', headers: { authorization: `Bearer ${cloud().tokens.user}` } });
		const recreated = await activate({ deviceScope: 'sandbox', eventName: 'temp' }, { staticData: saved, activation: 'init' });
		expect(stateOf(recreated).integrationId).not.toBe(stateOf(first).integrationId);
		expect(await listIntegrations()).toHaveLength(1);

		const renamedSaved = recreated.savedStaticData();
		active.splice(0);
		const renamed = await activate({ deviceScope: 'sandbox', eventName: 'humidity' }, { staticData: renamedSaved, activation: 'init' });
		expect(await listIntegrations()).toEqual([expect.objectContaining({ id: stateOf(renamed).integrationId, event: 'humidity' })]);
	});

	it('"Listen for test event" on an active workflow adds a test integration and leaves the production one alone', async () => {
		const production = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		const listening = await activateWebhookTrigger({
			host,
			parameters: { deviceScope: 'sandbox', eventName: 'temp' },
			credentials: userToken(cloud()),
			staticData: production.savedStaticData(),
			mode: 'manual',
		});
		expect(listening.url).toBe(`${host.baseUrl}-test/a1b2c3d4-0000-4000-8000-00000000beef/webhook`);
		expect((await listIntegrations()).map((integration) => integration.url).sort()).toEqual([production.url, listening.url].sort());
		publish(sandboxDevices()[0].id, 'temp', '1');
		await until('both', () => production.emitted.length === 1 && listening.emitted.length === 1);
		await cloud().webhooksSettled();
		await listening.deactivate();
		expect(await listIntegrations()).toEqual([expect.objectContaining({ id: stateOf(production).integrationId, url: production.url })]);
	});

	it('treats an integration already gone as deleted', async () => {
		const trigger = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		await fetch(`${cloud().url}/v1/integrations/${stateOf(trigger).integrationId}`, { method: 'DELETE', headers: { authorization: `Bearer ${cloud().tokens.user}` } });
		active.splice(0);
		expect(await trigger.deactivate()).toBe(true);
		expect(stateOf(trigger)).toEqual({});
	});

	it('refuses a bad event name or device ID before sending anything', async () => {
		await expect(activateWebhookTrigger({ host, parameters: { deviceScope: 'sandbox', eventName: '' }, credentials: userToken(cloud()) })).rejects.toThrow(
			'Event Name is empty',
		);
		await expect(
			activateWebhookTrigger({ host, parameters: { deviceScope: 'sandbox', eventName: 'x', deviceId: 'kitchen' }, credentials: userToken(cloud()) }),
		).rejects.toThrow('Device ID must be 24 hexadecimal characters');
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('does not send the create again after a 5xx, and the error holds no secret', async () => {
		cloud().injectFault({ method: 'POST', path: '/v1/integrations', status: 503 });
		const failure = await activateWebhookTrigger({ host, parameters: { deviceScope: 'sandbox', eventName: 'temp' }, credentials: userToken(cloud()) }).catch(
			(error: Error) => error,
		);
		expect(failure).toBeInstanceOf(Error);
		const posts = apiCalls(cloud()).filter((request) => request.method === 'POST');
		expect(posts).toHaveLength(1);
		const secret = (posts[0].body as { headers: Record<string, string> }).headers['X-Particle-N8n-Secret'];
		const error = failure as Error & { description?: unknown; errorResponse?: unknown };
		expect([error.message, error.description, JSON.stringify(error.errorResponse ?? null)].join(' ')).not.toContain(secret);
	});
});

describe('Particle Webhook Trigger: the events', () => {
	it('turns a delivered event into exactly one item shaped like the Event Trigger\'s', async () => {
		const trigger = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		const device = sandboxDevices()[0];
		publish(device.id, 'temperature', '{"c":21.5}');
		publish(device.id, 'humidity', '40');
		await until('one item', () => trigger.emitted.length === 1);
		await cloud().webhooksSettled();
		await pause(50);
		expect(trigger.executions).toBe(1);
		expect(trigger.emitted).toEqual([{ name: 'temperature', data: { c: 21.5 }, published_at: '2026-03-14T15:26:53.000Z', coreid: device.id }]);
		const [delivery] = cloud().webhookDeliveries().slice(-1);
		// An empty answer: Particle publishes no hook-response back to the devices.
		expect(delivery).toMatchObject({ state: 'delivered', attempts: [{ status: 200 }], responseBody: '' });
		expect(delivery.request.headers[HEADER]).toBe(stateOf(trigger).secret);
		expect(JSON.stringify(trigger.emitted)).not.toContain(stateOf(trigger).secret);
	});

	it('answers 401 to a request without the secret or with a wrong one, and runs nothing', async () => {
		const trigger = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		const event = { event: 'temp', data: '1', published_at: '2026-03-14T15:26:53.000Z', coreid: sandboxDevices()[0].id };
		expect(await postToTrigger(trigger, event)).toEqual({ status: 401, body: '{"message":"Unauthorized"}' });
		const secret = stateOf(trigger).secret!;
		const wrong = secret.slice(0, -1) + (secret.endsWith('0') ? '1' : '0');
		expect((await postToTrigger(trigger, event, { [HEADER]: wrong })).status).toBe(401);
		expect((await postToTrigger(trigger, event, { [HEADER]: secret.slice(0, 10) })).status).toBe(401);
		expect((await postToTrigger(trigger, event, { [HEADER]: '' })).status).toBe(401);
		expect(trigger.executions).toBe(0);
		expect(trigger.emitted).toEqual([]);

		// Particle itself with a changed header: refused too, and Particle records the 401.
		const id = stateOf(trigger).integrationId!;
		await fetch(`${cloud().url}/v1/integrations/${id}`, {
			method: 'PUT',
			headers: { authorization: `Bearer ${cloud().tokens.user}`, 'content-type': 'application/json' },
			body: JSON.stringify({ event: 'temp', url: trigger.url, requestType: 'POST', headers: { 'X-Particle-N8n-Secret': wrong } }),
		});
		publish(sandboxDevices()[0].id, 'temp', '2');
		await until('the refused delivery', () => cloud().webhookDeliveries().some((entry) => entry.integrationId === id && entry.state === 'failed'));
		expect(cloud().webhookDeliveries().find((entry) => entry.integrationId === id)?.attempts).toEqual([expect.objectContaining({ outcome: 'failed', status: 401 })]);
		expect(trigger.emitted).toEqual([]);

		// The right secret, sent by hand, starts the workflow (the check is the header, not who sends it).
		expect((await postToTrigger(trigger, event, { [HEADER]: secret })).status).toBe(200);
		expect(trigger.emitted).toHaveLength(1);
	});

	it('parses JSON data by default and keeps text as text, or keeps everything as text when asked', async () => {
		const parsed = await activate({ deviceScope: 'sandbox', eventName: 'data' }, { webhookId: 'parsed-0001' });
		const device = sandboxDevices()[0];
		publish(device.id, 'data/text', 'hello "world" & more');
		await until('text', () => parsed.emitted.length === 1);
		publish(device.id, 'data/number', '22');
		await until('number', () => parsed.emitted.length === 2);
		publish(device.id, 'data/json', '{"a":[1,2]}');
		await until('json', () => parsed.emitted.length === 3);
		publish(device.id, 'data/empty', null);
		await until('empty', () => parsed.emitted.length === 4);
		expect(parsed.emitted.map((item) => item.data)).toEqual(['hello "world" & more', 22, { a: [1, 2] }, '']);

		const text = await activate({ deviceScope: 'sandbox', eventName: 'raw', options: { parseJson: false } }, { webhookId: 'text-0001' });
		publish(device.id, 'raw', '{"a":1}');
		await until('raw', () => text.emitted.length === 1);
		expect(text.emitted[0].data).toBe('{"a":1}');
	});

	it('creates a product integration (by slug) with the product fields, and gets only that product\'s events', async () => {
		const trigger = await activate({ deviceScope: 'product', product: rl('id', productSlug()), eventName: 'fleet' });
		const create = apiCalls(cloud()).find((request) => request.method === 'POST')!;
		expect(create.path).toBe(`/v1/products/${productSlug()}/integrations`);
		expect(create.body).toMatchObject({
			event: 'fleet',
			form: { productID: '{{{PRODUCT_ID}}}', version: '{{{PRODUCT_VERSION}}}', userid: '{{{PRODUCT_USER_ID}}}' },
		});
		expect(stateOf(trigger).integrationProduct).toBe(productSlug());
		const device = cloud().fleet.productDevices(productId())[0];
		publish(sandboxDevices()[0].id, 'fleet/sandbox', 'no');
		publish(device.id, 'fleet/reading', '7', { productID: productId(), version: 4 });
		await until('the product event', () => trigger.emitted.length === 1);
		await cloud().webhooksSettled();
		expect(trigger.emitted).toEqual([
			{ name: 'fleet/reading', data: 7, published_at: '2026-03-14T15:26:53.000Z', coreid: device.id, productID: productId(), version: 4 },
		]);
		const id = stateOf(trigger).integrationId;
		cloud().clearRequests();
		active.splice(0);
		await trigger.deactivate();
		expect(apiCalls(cloud()).map(({ method, path }) => `${method} ${path}`)).toEqual([`DELETE /v1/products/${productSlug()}/integrations/${id}`]);
	});

	it('limits a sandbox integration to the device (Particle filters), and a product one in the trigger', async () => {
		const [device, other] = sandboxDevices();
		const sandbox = await activate({ deviceScope: 'sandbox', eventName: 'dev', deviceId: device.id.toUpperCase() }, { webhookId: 'device-0001' });
		expect(apiCalls(cloud()).find((request) => request.method === 'POST')?.body).toMatchObject({ deviceID: device.id });
		publish(other.id, 'dev', 'other');
		publish(device.id, 'dev', 'mine');
		await until('the device event', () => sandbox.emitted.length === 1);
		await cloud().webhooksSettled();
		expect(sandbox.emitted.map((item) => item.data)).toEqual(['mine']);

		const [productDevice, otherProductDevice] = cloud().fleet.productDevices(productId());
		cloud().clearRequests();
		const product = await activate({ deviceScope: 'product', product: rl('id', String(productId())), eventName: 'dev', deviceId: productDevice.id }, { webhookId: 'device-0002' });
		expect(apiCalls(cloud()).find((request) => request.method === 'POST')?.body).not.toHaveProperty('deviceID');
		publish(otherProductDevice.id, 'dev', 'other', { productID: productId() });
		publish(productDevice.id, 'dev', 'mine', { productID: productId() });
		await until('the product device event', () => product.emitted.length === 1);
		await cloud().webhooksSettled();
		expect(product.emitted.map((item) => item.data)).toEqual(['mine']);
		expect(product.calls).toEqual([{ status: 200, body: '' }, { status: 200, body: '' }]);
	});

	it('takes the device from the picker (list, ID or Console link) as well as an older plain ID', async () => {
		const [device, other] = sandboxDevices();
		for (const [index, deviceId] of [
			rl('list', device.id),
			rl('url', `https://console.particle.io/devices/${device.id}`),
		].entries()) {
			cloud().clearRequests();
			const trigger = await activate({ deviceScope: 'sandbox', eventName: 'pick', deviceId }, { webhookId: `picked-000${index}` });
			expect(apiCalls(cloud()).find((request) => request.method === 'POST')?.body).toMatchObject({ deviceID: device.id });
			publish(other.id, 'pick', 'other');
			publish(device.id, 'pick', 'mine');
			await until('the picked device event', () => trigger.emitted.length === 1);
			await cloud().webhooksSettled();
			expect(trigger.emitted.map((item) => item.data)).toEqual(['mine']);
			active.splice(0);
			await trigger.deactivate();
		}
		// A product device's link in a sandbox trigger: refused before anything is sent, naming the product.
		cloud().clearRequests();
		await expect(
			activateWebhookTrigger({
				host,
				parameters: { deviceScope: 'sandbox', eventName: 'x', deviceId: rl('url', `https://console.particle.io/${productSlug()}/devices/${device.id}`) },
				credentials: userToken(cloud()),
			}),
		).rejects.toThrow(productSlug());
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('keeps only the exact name when asked', async () => {
		const trigger = await activate({ deviceScope: 'sandbox', eventName: 'temp', options: { exactName: true } });
		publish(sandboxDevices()[0].id, 'temperature', '1');
		publish(sandboxDevices()[0].id, 'temp', '2');
		await until('the exact event', () => trigger.emitted.length === 1);
		await cloud().webhooksSettled();
		expect(trigger.emitted.map((item) => item.name)).toEqual(['temp']);
	});

	it('answers 400 to a request with the secret but no event, and runs nothing', async () => {
		const trigger = await activate({ deviceScope: 'sandbox', eventName: 'temp' });
		const answer = await postToTrigger(trigger, { data: 'x' }, { [HEADER]: stateOf(trigger).secret! });
		expect(answer.status).toBe(400);
		expect(trigger.executions).toBe(0);
	});
});

describe('Particle Webhook Trigger: pure parts', () => {
	it('compares secrets whatever their lengths', () => {
		expect(sameSecret('abc', 'abc')).toBe(true);
		expect(sameSecret('abd', 'abc')).toBe(false);
		expect(sameSecret('ab', 'abc')).toBe(false);
		expect(sameSecret('abcd', 'abc')).toBe(false);
		expect(sameSecret('', '')).toBe(false);
	});

	it('reads a body whose fields came twice by their first value', () => {
		expect(eventFromWebhookBody({ event: ['a', 'b'], data: ['1', '2'], coreid: 'x', userid: ['u', 'u'], productID: ['5', '5'] }, true)).toEqual({
			name: 'a',
			data: 1,
			coreid: 'x',
			published_at: null,
			productID: 5,
			userid: 'u',
		});
		expect(eventFromWebhookBody('text', true)).toBeUndefined();
	});
});
