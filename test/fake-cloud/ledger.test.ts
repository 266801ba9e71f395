/** Direct HTTP tests of Ledger: definitions, instances by scope (device, product, owner), set then get, delete, access. */
import Particle from 'particle-api-js';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { ledgersOf } from '../../fake-cloud/routes/ledger';
import { call, prop } from './helpers';

let cloud: FakeCloud;
let particle: Particle;
beforeAll(async () => {
	// Product 10001 belongs to the organization; 10002 (Tracker) and 10003 (Boron) to the user.
	cloud = await startFakeCloud({ devices: 2, products: 3, productDevices: 4 });
	particle = new Particle({ baseUrl: cloud.url });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
const tracker = () => cloud.fleet.products[1];
const trackerDevices = () => cloud.fleet.productDevices(tracker().id);
const org = () => cloud.fleet.organizations[0];
type Json = Record<string, unknown>;

describe('definitions', () => {
	test('GET /v1/ledgers: the sandbox ledgers with the reference fields and paging meta', async () => {
		const response = await call(cloud, 'GET', '/v1/ledgers', user());
		expect(response.status).toBe(200);
		const ledgers = prop(response, 'ledgers') as Json[];
		expect(ledgers.map((ledger) => ledger.name)).toEqual(['device-config', 'fleet-defaults', 'owner-settings', 'sensor-readings', 'old-config']);
		expect(ledgers[0]).toEqual({
			scope: 'Device',
			name: 'device-config',
			description: expect.any(String),
			direction: 'Downstream',
			updated_at: expect.any(String),
			created_at: expect.any(String),
			archived_at: null,
		});
		expect(prop(response, 'meta')).toEqual({ page: 1, per_page: 100, total_pages: 1, total: 5 });
	});

	test('archived=true and archived=false filter; perPage pages', async () => {
		const archived = await call(cloud, 'GET', '/v1/ledgers?archived=true', user());
		expect((prop(archived, 'ledgers') as Json[]).map((ledger) => ledger.name)).toEqual(['old-config']);
		const live = await call(cloud, 'GET', '/v1/ledgers?archived=false', user());
		expect(prop(live, 'ledgers')).toHaveLength(4);
		const second = await call(cloud, 'GET', '/v1/ledgers?page=2&perPage=2', user());
		expect((prop(second, 'ledgers') as Json[]).map((ledger) => ledger.name)).toEqual(['owner-settings', 'sensor-readings']);
		expect(prop(second, 'meta')).toEqual({ page: 2, per_page: 2, total_pages: 3, total: 5 });
	});

	test('a product reaches its owner’s ledgers; an organization has its own', async () => {
		const viaProduct = await call(cloud, 'GET', `/v1/products/${tracker().id}/ledgers`, user());
		expect(prop(viaProduct, 'ledgers')).toHaveLength(5);
		const viaOrg = await call(cloud, 'GET', `/v1/orgs/${org().slug}/ledgers`, user());
		expect((prop(viaOrg, 'ledgers') as Json[]).map((ledger) => ledger.name)).toEqual(['org-settings']);
		const one = await call(cloud, 'GET', '/v1/ledgers/owner-settings', user());
		expect(prop(one, 'ledger')).toMatchObject({ name: 'owner-settings', scope: 'Owner' });
		expect((await call(cloud, 'GET', '/v1/ledgers/nope', user())).status).toBe(404);
	});
});

describe('instances', () => {
	test('a device instance: set (201, either body shape) is returned by get; delete removes it', async () => {
		const device = trackerDevices()[3];
		const path = `/v1/ledgers/device-config/instances/${device.id}`;
		expect((await call(cloud, 'GET', path, user())).status).toBe(404);

		const set = await call(cloud, 'PUT', path, { ...user(), json: { instance: { data: { led: 'off', interval: 60 } } } });
		expect(set.status).toBe(201);
		const expected = {
			name: 'device-config',
			scope: { type: 'Device', value: device.id, name: device.name },
			size_bytes: Buffer.byteLength(JSON.stringify({ led: 'off', interval: 60 })),
			data: { led: 'off', interval: 60 },
			updated_at: expect.any(String),
			created_at: expect.any(String),
		};
		expect(prop(set, 'instance')).toEqual(expected);
		expect(prop(await call(cloud, 'GET', path, user()), 'instance')).toEqual(expected);

		// The reference's own body field, `data`, replaces the whole object.
		await call(cloud, 'PUT', path, { ...user(), json: { data: { led: 'blink' } } });
		expect(prop(await call(cloud, 'GET', path, user()), 'instance')).toMatchObject({ data: { led: 'blink' } });

		expect((await call(cloud, 'DELETE', path, user())).status).toBe(204);
		expect((await call(cloud, 'GET', path, user())).status).toBe(404);
		expect((await call(cloud, 'DELETE', path, user())).status).toBe(404);
	});

	test('product and owner instances; the list shows what the route may see', async () => {
		const product = await call(cloud, 'GET', `/v1/ledgers/fleet-defaults/instances/${tracker().id}`, user());
		expect(prop(product, 'instance')).toMatchObject({ scope: { type: 'Product', value: String(tracker().id), name: tracker().name }, data: { temp: { min: 20, max: 30 } } });
		const owner = await call(cloud, 'GET', `/v1/ledgers/owner-settings/instances/${cloud.fleet.user.id}`, user());
		expect(prop(owner, 'instance')).toMatchObject({ scope: { type: 'Owner', value: cloud.fleet.user.id }, data: { alert_email: cloud.fleet.user.username } });

		const list = await call(cloud, 'GET', '/v1/ledgers/sensor-readings/instances', user());
		expect((prop(list, 'instances') as Json[]).map((instance) => (instance.scope as Json).value)).toEqual(trackerDevices().slice(0, 3).map((device) => device.id));
		// Through the other product, none of the Tracker product's devices.
		const other = await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[2].id}/ledgers/sensor-readings/instances`, user());
		expect(prop(other, 'instances')).toEqual([]);
	});

	test('refused: a scope value the namespace does not have, data that is not an object, a bad set_mode', async () => {
		const stranger = cloud.fleet.sandboxDevices()[0];
		const device = trackerDevices()[0];
		expect((await call(cloud, 'PUT', `/v1/ledgers/device-config/instances/${stranger.id}`, { ...user(), json: { data: {} } })).status).toBe(404);
		expect((await call(cloud, 'PUT', '/v1/ledgers/fleet-defaults/instances/99999', { ...user(), json: { data: {} } })).status).toBe(404);
		expect((await call(cloud, 'PUT', `/v1/ledgers/device-config/instances/${device.id}`, { ...user(), json: { data: [1, 2] } })).status).toBe(400);
		expect((await call(cloud, 'PUT', `/v1/ledgers/device-config/instances/${device.id}`, { ...user(), json: {} })).status).toBe(400);
		expect((await call(cloud, 'PUT', `/v1/ledgers/device-config/instances/${device.id}?set_mode=Append`, { ...user(), json: { data: {} } })).status).toBe(400);
	});

	test('scopes: an API user needs ledger.instances:set to write, and reaches only its product', async () => {
		const device = trackerDevices()[1];
		const path = `/v1/products/${tracker().id}/ledgers/device-config/instances/${device.id}`;
		const reader = cloud.issueToken({ kind: 'apiUser', productId: tracker().id, scopes: ['ledger.instances:get'] });
		expect((await call(cloud, 'GET', path, { token: reader })).status).toBe(200);
		const refused = await call(cloud, 'PUT', path, { token: reader, json: { data: { a: 1 } } });
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual({ error: 'unauthorized', error_description: 'This endpoint requires the ledger.instances:set scope' });
		// The sandbox routes are for users.
		expect((await call(cloud, 'GET', '/v1/ledgers', { token: reader })).status).toBe(400);
		expect(ledgersOf(cloud.fleet).ledgers('user')[0].instances.get(device.id)?.data).toEqual({ reporting_interval_s: 300, led: 'on' });
	});
});

describe('particle-api-js', () => {
	test('listLedgers, getLedger, set/get/list/deleteLedgerInstance (set_mode Merge)', async () => {
		const auth = cloud.tokens.user;
		const listed = await particle.listLedgers({ auth, archived: false });
		expect((listed.body as unknown as { ledgers: Json[] }).ledgers).toHaveLength(4);
		const one = await particle.getLedger({ auth, ledgerName: 'fleet-defaults' });
		expect((one.body as unknown as { ledger: Json }).ledger).toMatchObject({ scope: 'Product' });

		const device = trackerDevices()[2];
		const scopeValue = device.id;
		await particle.setLedgerInstance({ auth, ledgerName: 'device-config', scopeValue, instance: { data: { a: 1 } } });
		await particle.setLedgerInstance({ auth, ledgerName: 'device-config', scopeValue, instance: { data: { b: 2 } }, setMode: 'Merge' });
		const got = await particle.getLedgerInstance({ auth, ledgerName: 'device-config', scopeValue });
		expect((got.body as unknown as { instance: Json }).instance).toMatchObject({ data: { a: 1, b: 2 } });
		const instances = await particle.listLedgerInstances({ auth, ledgerName: 'device-config' });
		expect((instances.body as unknown as { instances: Json[] }).instances.map((instance) => (instance.scope as Json).value)).toContain(device.id);
		const deleted = await particle.deleteLedgerInstance({ auth, ledgerName: 'device-config', scopeValue });
		expect(deleted.statusCode).toBe(204);
		await expect(particle.getLedgerInstance({ auth, ledgerName: 'device-config', scopeValue })).rejects.toMatchObject({ statusCode: 404 });
	});
});
