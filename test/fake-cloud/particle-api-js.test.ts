/**
 * Particle's own client, unchanged, against the fake: if it works here, the fake speaks the real request shapes.
 */
import Particle from 'particle-api-js';
import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';

let cloud: FakeCloud;
let particle: Particle;
let auth: string;
let product: number;
let sandbox: FakeDevice[];
let productDevices: FakeDevice[];
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 4, productDevices: 8 });
	particle = new Particle({ baseUrl: cloud.url });
	auth = cloud.tokens.user;
	product = cloud.productClient.productId;
	sandbox = cloud.fleet.sandboxDevices();
	productDevices = cloud.fleet.productDevices(product);
});
afterAll(() => cloud.close());

const lastRequest = (): FakeCloud['requests'][number] => cloud.requests[cloud.requests.length - 1];

interface ClientError {
	statusCode?: number;
	shortErrorDescription?: string;
	body?: unknown;
}

async function failure(promise: Promise<unknown>): Promise<ClientError> {
	try {
		await promise;
	} catch (error) {
		return error as ClientError;
	}
	throw new Error('expected the call to fail');
}

describe('logging in', () => {
	test('loginAsClientOwner (form fields) gives a product token that lists the product', async () => {
		const owner = new Particle({ baseUrl: cloud.url, clientId: cloud.productClient.clientId, clientSecret: cloud.productClient.clientSecret });
		const { body } = await owner.loginAsClientOwner();
		expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
		expect(lastRequest().contentType).toBe('application/x-www-form-urlencoded');
		const list = await owner.listDevices({ product, auth: body.access_token });
		expect((list.body as { devices: unknown[] }).devices).toHaveLength(8);
	});

	test('login (password grant through the default particle-api client), even with a default auth set', async () => {
		const withAuth = new Particle({ baseUrl: cloud.url, auth: cloud.tokens.customer });
		const { body } = await withAuth.login({ username: 'operator@example.com', password: 'fake-password' });
		expect(body.expires_in).toBe(7776000);
		// particle-api-js also sends the default token as a Bearer header here; the fake ignores it, as it must.
		expect(lastRequest().authorization).toBe(`Bearer ${cloud.tokens.customer}`);
		const me = await particle.getUserInfo({ auth: body.access_token });
		expect(me.body.username).toBe('operator@example.com');
	});

	test('a wrong password surfaces as a 400 with the OAuth description', async () => {
		const error = await failure(particle.login({ username: 'operator@example.com', password: 'wrong' }));
		expect(error).toMatchObject({ statusCode: 400, shortErrorDescription: 'User credentials are invalid' });
	});

	test('an invalid token surfaces as 401 with the OAuth description; deleteCurrentAccessToken revokes', async () => {
		const token = cloud.issueToken({ kind: 'user' });
		await particle.deleteCurrentAccessToken({ auth: token });
		const error = await failure(particle.listDevices({ auth: token }));
		expect(error).toMatchObject({ statusCode: 401, shortErrorDescription: 'The access token provided is invalid.' });
	});
});

describe('devices', () => {
	test('listDevices: sandbox array and paged product list with the client’s query keys', async () => {
		const mine = await particle.listDevices({ auth });
		expect((mine.body as unknown[]).length).toBe(sandbox.length);
		const page = await particle.listDevices({ auth, product, page: 2, perPage: 3, sortAttr: 'deviceId', sortDir: 'asc', groups: ['indoor', 'outdoor'] });
		expect(lastRequest().query).toEqual({ sortAttr: 'deviceId', sortDir: 'asc', page: '2', per_page: '3', groups: 'indoor,outdoor' });
		const body = page.body as { devices: Array<{ id: string }>; meta: { page: number; per_page: number; total_pages: number } };
		expect(body.meta).toMatchObject({ page: 2, per_page: 3, total_pages: 3 });
		expect(body.devices).toHaveLength(3);
		const named = await particle.listDevices({ auth, product, deviceName: productDevices[5].name });
		expect((named.body as { devices: Array<{ id: string }> }).devices.map((d) => d.id)).toEqual([productDevices[5].id]);
	});

	test('getDevice on both routes', async () => {
		const one = await particle.getDevice({ deviceId: sandbox[0].id, auth });
		expect(one.body).toMatchObject({ id: sandbox[0].id, functions: expect.any(Array) });
		const byName = await particle.getDevice({ deviceId: sandbox[0].name, auth });
		expect(byName.body.id).toBe(sandbox[0].id);
		const inProduct = await particle.getDevice({ deviceId: productDevices[0].id, product, auth });
		expect(inProduct.body).toMatchObject({ id: productDevices[0].id, groups: expect.any(Array) });
	});

	test('renameDevice, setDeviceNotes, signalDevice (JSON PUT)', async () => {
		const device = sandbox[2];
		const renamed = await particle.renameDevice({ deviceId: device.id, name: 'porch-sensor', auth });
		expect(renamed.body).toMatchObject({ id: device.id, name: 'porch-sensor' });
		expect(lastRequest()).toMatchObject({ method: 'PUT', contentType: 'application/json', body: { name: 'porch-sensor' } });
		await particle.setDeviceNotes({ deviceId: 'porch-sensor', notes: 'by the door', auth });
		expect(device.notes).toBe('by the door');
		const signal = await particle.signalDevice({ deviceId: device.id, signal: true, auth });
		expect(lastRequest().body).toEqual({ signal: '1' });
		expect(signal.body).toEqual({ id: device.id, connected: true, signaling: true });
		await particle.signalDevice({ deviceId: productDevices[0].id, signal: false, product, auth });
	});

	test('markAsDevelopmentDevice and firmware lock/unlock on the product route', async () => {
		const device = productDevices[2];
		await particle.markAsDevelopmentDevice({ deviceId: device.id, product, auth });
		expect(device.development).toBe(true);
		await particle.lockDeviceProductFirmware({ deviceId: device.id, desiredFirmwareVersion: 4, product, auth });
		expect(device.desired_firmware_version).toBe(4);
		await particle.unlockDeviceProductFirmware({ deviceId: device.id, product, auth });
		expect(lastRequest().body).toEqual({ desired_firmware_version: null });
		expect(device.desired_firmware_version).toBeNull();
	});

	test('getVariable and callFunction (JSON {args}) on both routes', async () => {
		const device = sandbox[0];
		cloud.setVariable(device.id, 'counter', 42);
		const variable = await particle.getVariable({ deviceId: device.id, name: 'counter', auth });
		expect(variable.body).toMatchObject({ name: 'counter', result: 42, coreInfo: { deviceID: device.id } });
		const fn = await particle.callFunction({ deviceId: device.id, name: 'setColor', argument: '0,128,255', auth });
		expect(lastRequest().body).toEqual({ args: '0,128,255' });
		expect(fn.body).toEqual({ id: device.id, name: 'setColor', connected: true, return_value: 1 });
		const productFn = await particle.callFunction({ deviceId: productDevices[0].id, name: 'led', argument: 'off', product, auth });
		expect(productFn.body.return_value).toBe(1);
		const productVar = await particle.getVariable({ deviceId: productDevices[0].id, name: 'status', product, auth });
		expect(typeof productVar.body.result).toBe('string');
	});

	test('device-call errors carry statusCode and the {ok:false, error} body', async () => {
		const error = await failure(particle.getVariable({ deviceId: sandbox[0].id, name: 'nope', auth }));
		expect(error).toMatchObject({ statusCode: 404, body: { ok: false, error: 'Variable not found' } });
		cloud.setSlowDevice(sandbox[0].id, 20);
		const slow = await failure(particle.callFunction({ deviceId: sandbox[0].id, name: 'led', argument: 'on', auth }));
		cloud.setSlowDevice(sandbox[0].id, null);
		expect(slow).toMatchObject({ statusCode: 408, body: { ok: false, error: 'Timed out.' } });
	});

	test('a non-JSON error body still gives a statusCode', async () => {
		cloud.injectFault({ path: '/v1/devices', status: 502, body: '<html>bad gateway</html>' });
		const error = await failure(particle.listDevices({ auth }));
		expect(error.statusCode).toBe(502);
	});
});

describe('ownership and product membership', () => {
	test('removeDevice (sandbox unclaim) then claimDevice', async () => {
		const id = sandbox[3].id;
		expect((await particle.removeDevice({ deviceId: id, auth })).body).toEqual({ ok: true });
		const claim = await particle.claimDevice({ deviceId: id, auth });
		expect(lastRequest().body).toEqual({ id, request_transfer: false });
		expect(claim.body).toMatchObject({ ok: true, deviceID: id, claimed: true });
	});

	test('removeDeviceOwner, removeDevice from the product (204 → {}), addDeviceToProduct', async () => {
		const id = productDevices[6].id;
		expect((await particle.removeDeviceOwner({ deviceId: id, product, auth })).body).toEqual({ ok: true });
		const removed = await particle.removeDevice({ deviceId: id, product, auth });
		expect(removed).toEqual({ body: {}, statusCode: 204 });
		const added = await particle.addDeviceToProduct({ deviceId: id, product, auth });
		expect(added.body).toMatchObject({ updated: 1, updatedDeviceIds: [id] });
	});

	test('getClaimCode on both routes', async () => {
		const mine = await particle.getClaimCode({ auth });
		expect(mine.body.claim_code).toHaveLength(63);
		const forCustomer = await particle.getClaimCode({ product, auth: cloud.tokens.customer });
		expect(forCustomer.body.claim_code).toHaveLength(63);
	});
});

describe('events and products', () => {
	test('publishEvent (JSON {name, data, private}) on both routes', async () => {
		expect((await particle.publishEvent({ name: 'door', data: 'open', isPrivate: true, auth })).body).toEqual({ ok: true });
		expect(lastRequest().body).toEqual({ name: 'door', data: 'open', private: true });
		await particle.publishEvent({ name: 'fleet', data: '1', isPrivate: false, product, auth });
		expect(cloud.fleet.publishedEvents.map((e) => [e.name, e.productID])).toEqual([
			['door', undefined],
			['fleet', product],
		]);
	});

	test('listProducts and getProduct (id or slug)', async () => {
		const list = await particle.listProducts({ auth });
		expect((list.body as { products: Array<{ id: number }> }).products.map((p) => p.id)).toEqual([product]);
		const one = await particle.getProduct({ product: cloud.productClient.productSlug, auth });
		expect((one.body as { product: { id: number } }).product.id).toBe(product);
	});
});
