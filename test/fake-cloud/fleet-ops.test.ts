import { startFakeCloud, type FakeCloud, type FakeDevice, type FleetEvent } from '../../fake-cloud';
import { call, prop } from './helpers';

let cloud: FakeCloud;
let token: string;
let productId: number;
beforeAll(async () => {
	// Eight sandbox devices: the import tests take four of them into products.
	cloud = await startFakeCloud({ products: 2, devices: 8 });
	token = cloud.tokens.user;
	productId = cloud.productClient.productId;
});
afterAll(() => cloud.close());

const productDevice = (i: number): string => cloud.fleet.productDevices(productId)[i].id;

describe('claiming and unclaiming', () => {
	test('unclaim then claim a sandbox device', async () => {
		const id = cloud.fleet.sandboxDevices()[0].id;
		expect((await call(cloud, 'DELETE', `/v1/devices/${id}`, { token })).body).toEqual({ ok: true });
		expect(cloud.fleet.devices.get(id)?.owner).toBeNull();
		// No longer mine: the sandbox route refuses it.
		expect((await call(cloud, 'GET', `/v1/devices/${id}`, { token })).status).toBe(403);
		const claim = await call(cloud, 'POST', '/v1/devices', { token, json: { id, request_transfer: false } });
		expect(claim.body).toEqual({ ok: true, id, deviceID: id, user_id: cloud.fleet.user.id, connected: expect.any(Boolean), claimed: true });
		expect(cloud.fleet.devices.get(id)?.owner).toBe('operator@example.com');
	});

	test('someone else’s device → 403; with request_transfer → acknowledged, nothing moves; unknown → 404', async () => {
		const customerDevice = productDevice(0);
		expect((await call(cloud, 'POST', '/v1/devices', { token, form: { id: customerDevice } })).status).toBe(403);
		const transfer = await call(cloud, 'POST', '/v1/devices', { token, json: { id: customerDevice, request_transfer: true } });
		expect(transfer.body).toMatchObject({ ok: true, claimed: false });
		expect(cloud.fleet.devices.get(customerDevice)?.owner).toMatch(/^customer1/);
		expect((await call(cloud, 'POST', '/v1/devices', { token, json: { id: 'f'.repeat(24) } })).status).toBe(404);
	});

	test('a customer claims an unclaimed device of its product', async () => {
		const id = productDevice(3);
		const res = await call(cloud, 'POST', '/v1/devices', { token: cloud.tokens.customer, json: { id } });
		expect(res.body).toMatchObject({ ok: true, claimed: true, deviceID: id });
		expect((await call(cloud, 'GET', `/v1/devices/${id}`, { token: cloud.tokens.customer })).status).toBe(200);
	});

	test('claim codes on both routes; the customer uses its product route', async () => {
		const mine = await call(cloud, 'POST', '/v1/device_claims', { token, json: {} });
		expect(mine.body).toEqual({ claim_code: expect.stringMatching(/^[A-Za-z0-9_-]{63}$/), device_ids: expect.any(Array) });
		const viaProduct = await call(cloud, 'POST', `/v1/products/${productId}/device_claims`, { token: cloud.tokens.customer, json: { iccid: '8934076500000000001' } });
		expect(prop(viaProduct, 'device_ids')).toContain(productDevice(0));
		expect(cloud.fleet.claimCodes.map((c) => c.claim_code)).toEqual([prop(mine, 'claim_code'), prop(viaProduct, 'claim_code')]);
		expect(cloud.fleet.claimCodes[1]).toMatchObject({ productId, iccid: '8934076500000000001', owner: cloud.fleet.products[0].customers[0].username });
		const otherProduct = cloud.fleet.products[1].id;
		expect((await call(cloud, 'POST', `/v1/products/${otherProduct}/device_claims`, { token: cloud.tokens.customer })).status).toBe(403);
	});
});

describe('product fleet operations', () => {
	test('DELETE …/owner unclaims; DELETE device removes it from the product with 204', async () => {
		const id = productDevice(1);
		expect((await call(cloud, 'DELETE', `/v1/products/${productId}/devices/${id}/owner`, { token })).body).toEqual({ ok: true });
		expect(cloud.fleet.devices.get(id)?.owner).toBeNull();
		const removed = await call(cloud, 'DELETE', `/v1/products/${productId}/devices/${id}`, { token, json: { deny: false } });
		expect(removed.status).toBe(204);
		expect(removed.text).toBe('');
		expect(cloud.fleet.productDevices(productId).map((d) => d.id)).not.toContain(id);
		expect((await call(cloud, 'GET', `/v1/products/${productId}/devices/${id}`, { token })).status).toBe(404);
	});

	test('import: updated, existing, non-member and invalid ids; claim_user', async () => {
		const sandboxId = cloud.fleet.sandboxDevices()[1].id;
		const existing = productDevice(0);
		const otherProductDevice = cloud.fleet.productDevices(cloud.fleet.products[1].id)[0].id;
		const fresh = 'abcdef0123456789abcdef01';
		const res = await call(cloud, 'POST', `/v1/products/${productId}/devices`, {
			token,
			json: { ids: [sandboxId, existing, otherProductDevice, fresh, 'not-a-device'], claim_user: 'ops@example.com' },
		});
		expect(res.body).toEqual({
			updated: 2,
			updatedDeviceIds: [sandboxId, fresh],
			existingDeviceIds: [existing],
			nonmemberDeviceIds: [otherProductDevice],
			invalidDeviceIds: ['not-a-device'],
			protectedDeviceIds: [],
		});
		expect(cloud.fleet.devices.get(fresh)).toMatchObject({ product_id: productId, owner: 'ops@example.com', online: false });
		expect(cloud.fleet.devices.get(sandboxId)?.product_id).toBe(productId);
		const single = await call(cloud, 'POST', `/v1/products/${productId}/devices`, { token, form: { id: '00000000000000000000abcd' } });
		expect(prop(single, 'updatedDeviceIds')).toEqual(['00000000000000000000abcd']);
		expect((await call(cloud, 'POST', `/v1/products/${productId}/devices`, { token, json: {} })).status).toBe(400);
	});

	test('import: a protected device stays out of a product without Device Protection, in protectedDeviceIds', async () => {
		const [shielded, plain] = cloud.fleet.sandboxDevices().slice(2, 4);
		shielded.deviceProtection = 'active';
		const product = cloud.fleet.products[1];
		const res = await call(cloud, 'POST', `/v1/products/${product.id}/devices`, { token, json: { ids: [shielded.id, plain.id] } });
		expect(res.body).toEqual({
			updated: 1,
			updatedDeviceIds: [plain.id],
			existingDeviceIds: [],
			nonmemberDeviceIds: [],
			invalidDeviceIds: [],
			protectedDeviceIds: [shielded.id],
		});
		expect(cloud.fleet.productOf(shielded)).toBeUndefined();
		// A product with Device Protection takes it, and says so in its own JSON.
		product.deviceProtection = 'active';
		try {
			expect(prop(await call(cloud, 'GET', `/v1/products/${product.id}`, { token }), 'product')).toMatchObject({ device_protection: 'active' });
			expect(prop(await call(cloud, 'POST', `/v1/products/${product.id}/devices`, { token, form: { id: shielded.id } }), 'updatedDeviceIds')).toEqual([shielded.id]);
			expect(prop(await call(cloud, 'GET', `/v1/products/${product.id}/devices/${shielded.id}`, { token }), 'device_protection')).toEqual({ status: 'active' });
		} finally {
			product.deviceProtection = 'disabled';
		}
	});

	test('import: serial numbers, IMEIs and ICCIDs too, echoed as sent; a .txt file upload; claim_user in the query', async () => {
		const product = cloud.fleet.products[1];
		const [bySerial, byCellular] = importable();
		const upload = new FormData();
		upload.append('file', new Blob([`${bySerial.serial_number}\r\n${byCellular.imei ?? byCellular.serial_number}\n\nE00NOSUCHSERIAL\n`], { type: 'text/plain' }), 'devices.txt');
		const sent = await fetch(`${cloud.url}/v1/products/${product.id}/devices?claim_user=tech%40example.com`, {
			method: 'POST',
			headers: { authorization: `Bearer ${token}` },
			body: upload,
		});
		expect(sent.status).toBe(200);
		expect(await sent.json()).toEqual({
			updated: 2,
			updatedDeviceIds: [bySerial.serial_number, byCellular.imei ?? byCellular.serial_number],
			existingDeviceIds: [],
			nonmemberDeviceIds: [],
			invalidDeviceIds: ['E00NOSUCHSERIAL'],
			protectedDeviceIds: [],
		});
		expect([bySerial, byCellular].map((device) => [device.product_id, device.owner])).toEqual([
			[product.id, 'tech@example.com'],
			[product.id, 'tech@example.com'],
		]);
		expect((await call(cloud, 'POST', `/v1/products/${product.id}/devices`, { token, json: { id: bySerial.id, import_sims: 'maybe' } })).status).toBe(400);
	});
});

/** Two unprotected sandbox devices no test above moved, the second cellular when the sandbox has one. */
function importable(): [FakeDevice, FakeDevice] {
	const free = cloud.fleet.sandboxDevices().filter((device) => device.deviceProtection === 'disabled');
	const cellular = free.find((device) => device.imei !== undefined) ?? free[1];
	return [free.find((device) => device !== cellular)!, cellular];
}

describe('publishing events', () => {
	test('sandbox and product publishes are stored and emitted', async () => {
		const seen: FleetEvent[] = [];
		const listener = (e: FleetEvent): void => void seen.push(e);
		cloud.fleet.events.on('event', listener);
		try {
			expect((await call(cloud, 'POST', '/v1/devices/events', { token, json: { name: 'door/open', data: 'front', private: true } })).body).toEqual({ ok: true });
			expect((await call(cloud, 'POST', `/v1/products/${cloud.productClient.productSlug}/events`, { token, form: { name: 'fleet/reset', ttl: '30', private: 'false' } })).body).toEqual({ ok: true });
		} finally {
			cloud.fleet.events.off('event', listener);
		}
		expect(cloud.fleet.publishedEvents.slice(-2)).toEqual([
			{ name: 'door/open', data: 'front', ttl: 60, private: true, published_at: expect.any(String), coreid: 'api', productID: undefined, userid: cloud.fleet.user.id },
			{ name: 'fleet/reset', data: null, ttl: 30, private: false, published_at: expect.any(String), coreid: 'api', productID: productId, userid: cloud.fleet.user.id },
		]);
		expect(seen.map((e) => e.name)).toEqual(['door/open', 'fleet/reset']);
	});

	test('limits: name required and ≤ 64 chars, data ≤ 1024 bytes and a string', async () => {
		const publish = (json: unknown): Promise<number> => call(cloud, 'POST', '/v1/devices/events', { token, json }).then((r) => r.status);
		expect(await publish({ data: 'x' })).toBe(400);
		expect(await publish({ name: 'n'.repeat(64) })).toBe(200);
		expect(await publish({ name: 'n'.repeat(65) })).toBe(400);
		expect(await publish({ name: 'a', data: 'd'.repeat(1024) })).toBe(200);
		expect(await publish({ name: 'a', data: '€'.repeat(342) })).toBe(400);
		expect(await publish({ name: 'a', data: { t: 1 } })).toBe(400);
		expect((await call(cloud, 'POST', '/v1/devices/events', { token: cloud.tokens.apiUser, json: { name: 'a' } })).status).toBe(400); // API-user refusals are 400 (Cloud API > API users > Errors)
	});
});

describe('products', () => {
	test('GET /v1/products and /v1/user/products list them; GET by id or slug', async () => {
		const list = await call(cloud, 'GET', '/v1/products', { token });
		const products = prop(list, 'products') as Array<Record<string, unknown>>;
		expect(products.map((p) => p.id)).toEqual([10001, 10002]);
		expect(products[0]).toMatchObject({ slug: 'environment-monitor-10001', platform_id: 12, org: 'acme-iot', groups: ['indoor', 'outdoor', 'beta'] });
		expect(products[1]).toMatchObject({ user: 'operator@example.com' });
		expect((await call(cloud, 'GET', '/v1/user/products', { token })).body).toEqual(list.body);
		const byId = await call(cloud, 'GET', `/v1/products/${productId}`, { token });
		const bySlug = await call(cloud, 'GET', `/v1/products/${cloud.productClient.productSlug}`, { token });
		expect(bySlug.body).toEqual(byId.body);
		expect(prop(byId, 'product')).toMatchObject({ id: productId, device_count: cloud.fleet.productDevices(productId).length });
		expect((await call(cloud, 'GET', '/v1/products/no-such-product', { token })).status).toBe(404);
	});
});
