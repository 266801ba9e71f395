import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';
import { call, prop, rawRequest } from './helpers';

let cloud: FakeCloud;
let token: string;
let hostile: FakeDevice;
let slashy: FakeDevice;
const HOSTILE = '../x?y#z';
beforeAll(async () => {
	cloud = await startFakeCloud();
	token = cloud.tokens.user;
	[hostile, slashy] = cloud.fleet.sandboxDevices().filter((d) => d.online);
	const rename = await call(cloud, 'PUT', `/v1/devices/${hostile.id}`, { token, json: { name: HOSTILE } });
	if (rename.status !== 200) throw new Error(rename.text);
	slashy.name = 'lab/ping';
});
afterAll(() => cloud.close());

describe('each encoded segment stays one segment', () => {
	test('a name like ../x?y#z is looked up as that literal name', async () => {
		cloud.clearRequests();
		const res = await call(cloud, 'GET', `/v1/devices/${encodeURIComponent(HOSTILE)}`, { token });
		expect(res.status).toBe(200);
		expect(prop(res, 'id')).toBe(hostile.id);
		expect(cloud.requests[0]).toMatchObject({ path: '/v1/devices/..%2Fx%3Fy%23z', decodedPath: `/v1/devices/${HOSTILE}`, query: {} });
	});

	test('…and its variables and functions are reached through it', async () => {
		const variable = await call(cloud, 'GET', `/v1/devices/${encodeURIComponent(HOSTILE)}/temperature`, { token });
		expect(prop(variable, 'coreInfo')).toMatchObject({ name: HOSTILE, deviceID: hostile.id });
		const fn = await call(cloud, 'POST', `/v1/devices/${encodeURIComponent(HOSTILE)}/led`, { token, json: { arg: 'on' } });
		expect(fn.body).toMatchObject({ id: hostile.id, return_value: 1 });
	});

	test('an encoded "/" in a name is not a route separator', async () => {
		const update = await call(cloud, 'PUT', `/v1/devices/lab%2Fping`, { token, json: { notes: 'not a ping' } });
		expect(update.body).toMatchObject({ id: slashy.id, notes: 'not a ping' });
		const ping = await call(cloud, 'PUT', `/v1/devices/lab%2Fping/ping`, { token });
		expect(ping.body).toEqual({ online: true, ok: true });
	});

	test('an encoded "/" in a product segment does not reach the device list', async () => {
		const res = await call(cloud, 'GET', `/v1/products/${cloud.productClient.productSlug}%2Fdevices`, { token });
		expect(res).toMatchObject({ status: 404, body: { ok: false } });
	});

	test('an encoded "/" or "?" in a variable name is part of the name', async () => {
		expect(await call(cloud, 'GET', `/v1/devices/${hostile.id}/temperature%2F..%2F..`, { token })).toMatchObject({ status: 404, body: { error: 'Variable not found' } });
		expect(await call(cloud, 'GET', `/v1/devices/${hostile.id}/temperature%3Fformat%3Draw`, { token })).toMatchObject({ status: 404 });
	});

	test('raw dot segments are names, not directory moves', async () => {
		const res = await rawRequest(cloud, 'GET', '/v1/devices/../products', { authorization: `Bearer ${token}` });
		expect(res).toEqual({ status: 404, body: { ok: false, error: 'Device not found.' } });
		expect(cloud.requests[cloud.requests.length - 1].path).toBe('/v1/devices/../products');
	});

	test('literal route words must be sent as they are', async () => {
		expect((await rawRequest(cloud, 'GET', '/v1/%64evices', { authorization: `Bearer ${token}` })).status).toBe(404);
	});

	test('a malformed escape → 400', async () => {
		expect((await rawRequest(cloud, 'GET', '/v1/devices/%zz', { authorization: `Bearer ${token}` })).status).toBe(400);
	});

	test('unicode and "+" in names', async () => {
		const device = cloud.fleet.sandboxDevices()[3];
		for (const name of ['température-ü', 'a+b c']) {
			device.name = name;
			const res = await call(cloud, 'GET', `/v1/devices/${encodeURIComponent(name)}`, { token });
			expect(prop(res, 'id')).toBe(device.id);
		}
		// A raw "+" in a path is a plus, not a space.
		device.name = 'a+b';
		expect(prop(await call(cloud, 'GET', '/v1/devices/a+b', { token }), 'id')).toBe(device.id);
	});
});
