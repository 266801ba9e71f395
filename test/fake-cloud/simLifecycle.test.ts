/**
 * Direct HTTP tests of a SIM's life: deactivate takes the device offline and silences it, reactivate brings it back,
 * release removes the SIM from the product; the cellular network status task; scopes.
 */
import Particle from 'particle-api-js';

import { startFakeCloud, type FakeCloud, type FakeDevice, type FleetEvent } from '../../fake-cloud';
import { SIM_STATUS_TASK_MS } from '../../fake-cloud/routes/sims';
import { call, prop } from './helpers';

let cloud: FakeCloud;
let now = Date.parse('2026-03-14T12:00:00.000Z');
beforeAll(async () => {
	// Product 10002 is the Tracker product: every device has a SIM.
	cloud = await startFakeCloud({ devices: 6, products: 3, productDevices: 12, now: () => now });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
const tracker = () => cloud.fleet.products[1];
const onlineSim = (): FakeDevice & { iccid: string } =>
	cloud.fleet.productDevices(tracker().id).find((device) => device.online && device.iccid !== undefined && !cloud.fleet.simStates.has(device.iccid)) as FakeDevice & { iccid: string };
const simPath = (device: FakeDevice) => `/v1/products/${tracker().id}/sims/${device.iccid}`;

function statusEvents(device: FakeDevice): { events: FleetEvent[]; stop(): void } {
	const events: FleetEvent[] = [];
	const listener = (event: FleetEvent) => {
		if (event.coreid === device.id) events.push(event);
	};
	cloud.fleet.events.on('event', listener);
	return { events, stop: () => cloud.fleet.events.off('event', listener) };
}

test('deactivate: 200, the SIM reads inactive, the device goes offline and publishes nothing, and cannot come back', async () => {
	const device = onlineSim();
	const watch = statusEvents(device);
	try {
		const response = await call(cloud, 'PUT', simPath(device), { ...user(), json: { action: 'deactivate' } });
		expect(response.status).toBe(200);
		expect(response.text).toBe('');
		expect(device.online).toBe(false);
		expect(watch.events.map((event) => `${event.name} ${String(event.data)}`)).toEqual(['spark/status offline']);

		const sim = await call(cloud, 'GET', simPath(device), user());
		expect(sim.body).toMatchObject({ status: 'inactive', deactivations_count: 1, last_status_change_action: 'deactivate' });

		// No service: the device can neither come online nor publish.
		cloud.setOnline(device.id, true);
		cloud.fleet.publish({ name: 'demo/temperature', data: '{}', ttl: 60, published_at: new Date(now).toISOString(), coreid: device.id });
		expect(device.online).toBe(false);
		expect(watch.events).toHaveLength(1);
		expect(cloud.fleet.publishedEvents.some((event) => event.coreid === device.id)).toBe(false);
	} finally {
		watch.stop();
	}
});

test('reactivate: the SIM is active again and the device comes back online', async () => {
	const device = onlineSim();
	await call(cloud, 'PUT', simPath(device), { ...user(), form: { action: 'deactivate' } });
	const response = await call(cloud, 'PUT', simPath(device), { ...user(), form: { action: 'reactivate' } });
	expect(response.status).toBe(200);
	expect(device.online).toBe(true);
	const sim = await call(cloud, 'GET', simPath(device), user());
	expect(sim.body).toMatchObject({ status: 'active', activations_count: 2, deactivations_count: 1, last_status_change_action: 'reactivate' });
});

test('release: 204, the SIM leaves the product (not listed, not found) and the device is offline', async () => {
	const device = onlineSim();
	const response = await call(cloud, 'DELETE', simPath(device), user());
	expect(response.status).toBe(204);
	expect(device.online).toBe(false);
	expect((await call(cloud, 'GET', simPath(device), user())).status).toBe(404);
	const list = await call(cloud, 'GET', `/v1/products/${tracker().id}/sims?perPage=100`, user());
	expect((prop(list, 'sims') as Array<{ iccid: string }>).map((sim) => sim.iccid)).not.toContain(device.iccid);
	expect((await call(cloud, 'PUT', simPath(device), { ...user(), json: { action: 'reactivate' } })).status).toBe(404);
});

test('actions the reference does not list are refused; activate only on the user route', async () => {
	const device = onlineSim();
	expect((await call(cloud, 'PUT', simPath(device), { ...user(), json: { action: 'activate' } })).status).toBe(400);
	expect((await call(cloud, 'PUT', simPath(device), { ...user(), json: {} })).status).toBe(400);
	expect((await call(cloud, 'PUT', simPath(device), { ...user(), json: { action: 'pause' } })).status).toBe(400);
	const own = cloud.fleet.sandboxDevices().find((candidate) => candidate.iccid !== undefined)!;
	expect((await call(cloud, 'PUT', `/v1/sims/${own.iccid}`, { ...user(), json: { action: 'activate' } })).status).toBe(200);
});

test('network status: 202 pending with the task meta, complete after check_again_after', async () => {
	const device = onlineSim();
	const first = await call(cloud, 'GET', `${simPath(device)}/status`, user());
	expect(first.status).toBe(202);
	expect(first.body).toEqual({
		ok: true,
		meta: {
			created_at: new Date(now).toISOString(),
			expires_at: expect.any(String),
			check_again_after: new Date(now + SIM_STATUS_TASK_MS).toISOString(),
			state: 'pending',
			method: 'async',
			task_id: expect.any(String),
		},
		sim_status: { connected: true, gsm_connection: true, data_connection: true },
	});
	now += SIM_STATUS_TASK_MS;
	const second = await call(cloud, 'GET', `${simPath(device)}/status`, user());
	expect(second.body).toMatchObject({ meta: { state: 'complete', task_id: (first.body as { meta: { task_id: string } }).meta.task_id } });
	await call(cloud, 'PUT', simPath(device), { ...user(), json: { action: 'deactivate' } });
	const after = await call(cloud, 'GET', `${simPath(device)}/status`, user());
	expect(after.body).toMatchObject({ sim_status: { connected: false, gsm_connection: false, data_connection: false } });
});

test('scopes: sims:update to change, sims:remove to release, sims.status:get to read the status', async () => {
	const device = onlineSim();
	const reader = cloud.issueToken({ kind: 'apiUser', productId: tracker().id, scopes: ['sims:get'] });
	for (const [method, path, body] of [
		['PUT', simPath(device), { action: 'deactivate' }],
		['DELETE', simPath(device), undefined],
		['GET', `${simPath(device)}/status`, undefined],
	] as const) {
		const response = await call(cloud, method, path, { token: reader, json: body });
		expect([method, response.status]).toEqual([method, 400]);
	}
	expect(device.online).toBe(true);
	const writer = cloud.issueToken({ kind: 'apiUser', productId: tracker().id, scopes: ['sims:update'] });
	expect((await call(cloud, 'PUT', simPath(device), { token: writer, json: { action: 'deactivate' } })).status).toBe(200);
});

test('particle-api-js removeSIM releases a product SIM', async () => {
	const device = onlineSim();
	const particle = new Particle({ baseUrl: cloud.url });
	const response = await particle.removeSIM({ iccid: device.iccid, product: tracker().id, auth: cloud.tokens.user });
	expect(response.statusCode).toBe(204);
	expect(cloud.fleet.simStates.get(device.iccid)?.released).toBe(true);
});
