/**
 * The fake's device groups (Cloud API > Groups): the group objects, real membership (the device's `groups`, the
 * device list's `groups` filter), renames and deletes that follow into devices and releases, the batch form, the
 * impact of a planned release, and the scopes each route needs.
 */
import Particle from 'particle-api-js';

import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';
import { call, prop } from './helpers';

let cloud: FakeCloud;
let product: number;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 2, products: 1, productDevices: 9, seed: 3 });
	product = cloud.productClient.productId;
});
afterAll(() => cloud.close());

const user = () => cloud.tokens.user;
const devices = (): FakeDevice[] => cloud.fleet.productDevices(product);
const groups = (rest = '') => `/v1/products/${product}/groups${rest}`;
const members = (name: string) => devices().filter((device) => device.groups.includes(name)).map((device) => device.id).sort();

async function listedIn(name: string): Promise<string[]> {
	const list = await call(cloud, 'GET', `/v1/products/${product}/devices?groups=${name}&perPage=100`, { token: user() });
	return (prop(list, 'devices') as Array<{ id: string }>).map((device) => device.id).sort();
}

describe('group objects', () => {
	it('lists the product groups, filtered by partial name; gets one with its device count', async () => {
		const all = await call(cloud, 'GET', groups(), { token: user() });
		expect(prop(all, 'groups')).toEqual([
			{ name: 'indoor', description: '', color: '#34495e' },
			{ name: 'outdoor', description: '', color: '#34495e' },
			{ name: 'beta', description: '', color: '#34495e' },
		]);
		expect(prop(await call(cloud, 'GET', groups('?name=door'), { token: user() }), 'groups')).toHaveLength(2);
		const one = await call(cloud, 'GET', groups('/beta'), { token: user() });
		expect(one.body).toEqual({ group: { name: 'beta', description: '', color: '#34495e', device_count: members('beta').length } });
		expect((await call(cloud, 'GET', groups('/nope'), { token: user() })).status).toBe(404);
	});

	it('creates a group (201), refuses a bad or taken name, a bad color', async () => {
		const created = await call(cloud, 'POST', groups(), { token: user(), form: { name: 'test', description: 'the A group', color: '#e74c3c' } });
		expect([created.status, created.body]).toEqual([201, { group: { name: 'test', description: 'the A group', color: '#e74c3c' } }]);
		expect(cloud.fleet.products[0].groups).toContain('test');
		for (const body of [{ name: 'Test' }, { name: 'has space' }, { name: 'x'.repeat(65) }, { name: 'test' }, { name: 'ok-name', color: 'red' }, {}]) {
			const refused = await call(cloud, 'POST', groups(), { token: user(), json: body });
			expect([JSON.stringify(body), refused.status]).toEqual([JSON.stringify(body), 400]);
		}
	});

	it('edits a group: needs one field; a new name follows into the devices and the device list filter', async () => {
		expect((await call(cloud, 'PUT', groups('/test'), { token: user(), json: {} })).status).toBe(400);
		const device = devices()[0];
		await call(cloud, 'PUT', `/v1/products/${product}/devices/${device.id}`, { token: user(), json: { groups: ['test'] } });
		const edited = await call(cloud, 'PUT', groups('/test'), { token: user(), json: { name: 'trial', color: '#00ff00' } });
		expect(edited.body).toEqual({ group: { name: 'trial', description: 'the A group', color: '#00ff00', device_count: 1 } });
		expect(device.groups).toEqual(['trial']);
		expect(await listedIn('trial')).toEqual([device.id]);
		expect((await call(cloud, 'GET', groups('/test'), { token: user() })).status).toBe(404);
	});

	it('deletes a group (204): its devices leave it, a release to it ends', async () => {
		const version = devices()[0].firmware_version as number;
		await call(cloud, 'PUT', `/v1/products/${product}/firmware/release`, { token: user(), json: { version, groups: ['trial'] } });
		expect(prop(await call(cloud, 'GET', groups('/trial'), { token: user() }), 'group')).toMatchObject({ fw_version: version });
		expect(devices()[0].targeted_firmware_release_version).toBe(version);
		expect((await call(cloud, 'DELETE', groups('/trial'), { token: user() })).status).toBe(204);
		expect(members('trial')).toEqual([]);
		expect(devices()[0].targeted_firmware_release_version).toBeNull();
		expect(cloud.fleet.productFirmware.get(product)?.find((firmware) => firmware.version === version)?.groups).toEqual([]);
	});
});

describe('membership', () => {
	it('one device: the groups sent are its groups from then on, new names become groups', async () => {
		const device = devices()[1];
		const result = await call(cloud, 'PUT', `/v1/products/${product}/devices/${device.id}`, { token: user(), json: { groups: ['europe', 'asia'] } });
		expect(result.body).toEqual({ id: device.id, groups: ['europe', 'asia'], updated_at: expect.any(String) });
		expect(cloud.fleet.products[0].groups).toEqual(expect.arrayContaining(['europe', 'asia']));
		expect(await listedIn('asia')).toEqual([device.id]);
	});

	it('the batch form adds and removes a group on every device listed, in one request', async () => {
		const ids = devices().slice(2, 5).map((device) => device.id);
		const added = await call(cloud, 'PUT', `/v1/products/${product}/devices`, { token: user(), json: { action: 'groups', devices: ids, metadata: { add: ['asia'] } } });
		expect(added.body).toEqual({ ok: true });
		expect(await listedIn('asia')).toEqual([devices()[1].id, ...ids].sort());
		await call(cloud, 'PUT', `/v1/products/${product}/devices`, { token: user(), json: { action: 'groups', devices: [ids[0]], metadata: { remove: ['asia'] } } });
		expect(await listedIn('asia')).toEqual([devices()[1].id, ids[1], ids[2]].sort());
	});

	it.each([
		['another action', { action: 'rename', devices: ['x'], metadata: { add: ['asia'] } }],
		['no devices', { action: 'groups', devices: [], metadata: { add: ['asia'] } }],
		['no metadata', { action: 'groups', devices: ['0123456789abcdef01234567'] }],
		['nothing to add or remove', { action: 'groups', devices: ['0123456789abcdef01234567'], metadata: {} }],
		['a device of no product of its', { action: 'groups', devices: ['0123456789abcdef01234567'], metadata: { add: ['asia'] } }],
	])('refuses a batch with %s (400)', async (_case, body) => {
		expect((await call(cloud, 'PUT', `/v1/products/${product}/devices`, { token: user(), json: body })).status).toBe(400);
	});

	it('refuses a batch with a group name Particle would not take, and changes nothing', async () => {
		const device = devices()[0];
		const before = [...device.groups];
		const refused = await call(cloud, 'PUT', `/v1/products/${product}/devices`, { token: user(), json: { action: 'groups', devices: [device.id], metadata: { add: ['Asia'] } } });
		expect(refused.status).toBe(400);
		expect(device.groups).toEqual(before);
	});
});

describe('impact of a planned release', () => {
	it('counts the devices that would get an update, by version, without changing anything', async () => {
		const version = 9;
		await call(cloud, 'POST', groups(), { token: user(), json: { name: 'canary' } });
		const canaries = devices().slice(5, 8);
		for (const device of canaries) await call(cloud, 'PUT', `/v1/products/${product}/devices/${device.id}`, { token: user(), json: { groups: ['canary'] } });
		canaries[0].firmware_version = version;
		cloud.fleet.productFirmware.get(product)?.push({ ...cloud.fleet.productFirmware.get(product)![0], _id: 'f'.repeat(24), version, groups: [], product_default: false });
		canaries[2].development = true;
		const query = `action=edit_groups_for_firmware&firmware_version=${version}&groups=canary`;
		const result = await call(cloud, 'GET', `/v1/products/${product}/impact?${query}`, { token: user() });
		// canaries[0] runs it already, canaries[2] is a development device: one device would update.
		expect(result.body).toEqual({ devices: { firmware_update: { total: 1, by_version: [{ version, total: 1 }] } } });
		expect(canaries.map((device) => device.targeted_firmware_release_version)).toEqual([null, null, null]);
		const asDefault = await call(cloud, 'GET', `/v1/products/${product}/impact?action=edit_groups_for_firmware&firmware_version=${version}&product_default=true`, { token: user() });
		const expected = devices().filter((device) => !device.development && device.desired_firmware_version === null && device.firmware_version !== version).length;
		expect(asDefault.body).toEqual({ devices: { firmware_update: { total: expected, by_version: [{ version, total: expected }] } } });
	});

	it('refuses another action, a missing or unknown version, an unknown group', async () => {
		for (const query of ['action=x&firmware_version=1', 'action=edit_groups_for_firmware', 'action=edit_groups_for_firmware&firmware_version=abc', 'action=edit_groups_for_firmware&firmware_version=9&groups=nope']) {
			expect([query, (await call(cloud, 'GET', `/v1/products/${product}/impact?${query}`, { token: user() })).status]).toEqual([query, 400]);
		}
		expect((await call(cloud, 'GET', `/v1/products/${product}/impact?action=edit_groups_for_firmware&firmware_version=555`, { token: user() })).status).toBe(404);
	});
});

describe('scopes', () => {
	it.each([
		['GET', '', 'groups:list', undefined, 200],
		['GET', '/beta', 'groups:get', undefined, 200],
		['POST', '', 'groups:create', { name: 'scoped' }, 201],
		['PUT', '/beta', 'groups:update', { description: 'scoped' }, 200],
		['DELETE', '/scoped', 'groups:remove', undefined, 204],
	])('%s groups%s needs %s from an API user', async (method, rest, scope, json, status) => {
		const other = cloud.issueToken({ kind: 'apiUser', productId: product, scopes: ['devices:list'] });
		const refused = await call(cloud, method, groups(rest), { token: other, json });
		expect(refused.body).toEqual({ error: 'unauthorized', error_description: `This endpoint requires the ${scope} scope` });
		const allowed = cloud.issueToken({ kind: 'apiUser', productId: product, scopes: [scope] });
		expect((await call(cloud, method, groups(rest), { token: allowed, json })).status).toBe(status);
	});

	it('the batch form needs devices:update, the impact groups.impact:get', async () => {
		const none = cloud.issueToken({ kind: 'apiUser', productId: product, scopes: ['groups:list'] });
		expect(prop(await call(cloud, 'PUT', `/v1/products/${product}/devices`, { token: none, json: {} }), 'error_description')).toBe('This endpoint requires the devices:update scope');
		expect(prop(await call(cloud, 'GET', `/v1/products/${product}/impact`, { token: none }), 'error_description')).toBe('This endpoint requires the groups.impact:get scope');
	});
});

describe('particle-api-js', () => {
	it('listDevices with groups lists the members of the groups', async () => {
		const particle = new Particle({ baseUrl: cloud.url });
		const listed = await particle.listDevices({ product, groups: ['asia'], perPage: 100, auth: user() });
		const ids = (listed.body as unknown as { devices: Array<{ id: string; groups: string[] }> }).devices.map((device) => device.id).sort();
		expect(ids).toEqual(members('asia'));
		expect(ids.length).toBeGreaterThan(1);
	});
});
