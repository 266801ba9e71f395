/** The device operations that change something, sandbox and product, through n8n's engine against the fake cloud. */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 6, productDevices: 6 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => cloud().productClient.productId;
const product = () => rl('id', String(productId()));
const sandbox = (index: number) => cloud().fleet.sandboxDevices()[index];
const productDevice = (index: number) => cloud().fleet.productDevices(productId())[index];

describe('Device > Rename, Update Notes, Signal, Ping', () => {
	it('renames a sandbox device, and the name persists', async () => {
		const device = sandbox(0);
		const result = await runNode({
			parameters: { resource: 'device', operation: 'rename', device: rl('id', device.id), newName: 'kitchen-sensor' },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'PUT', path: `/v1/devices/${device.id}`, body: { name: 'kitchen-sensor' } });
		expect(result.items).toEqual([{ json: expect.objectContaining({ id: device.id, name: 'kitchen-sensor', updated_at: expect.any(String) }), pairedItem: { item: 0 } }]);
		expect(cloud().fleet.devices.get(device.id)?.name).toBe('kitchen-sensor');
	});

	it('renames a product device by its current name', async () => {
		const device = productDevice(2);
		const oldName = String(device.name);
		await runNode({
			parameters: { resource: 'device', operation: 'rename', deviceScope: 'product', product: product(), device: rl('name', oldName), newName: `${oldName}-x` },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([
			`GET /v1/products/${productId()}/devices`,
			`PUT /v1/products/${productId()}/devices/${device.id}`,
		]);
		expect(cloud().fleet.devices.get(device.id)?.name).toBe(`${oldName}-x`);
	});

	it('refuses a 65-character name before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'rename', device: rl('id', sandbox(0).id), newName: 'n'.repeat(65) },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('New Name is 65 characters long; Particle allows at most 64');
		expect(cloud().requests).toHaveLength(0);
	});

	it('updates notes', async () => {
		const device = productDevice(1);
		await runNode({
			parameters: { resource: 'device', operation: 'updateNotes', deviceScope: 'product', product: product(), device: rl('id', device.id), notes: 'battery swapped' },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'PUT', path: `/v1/products/${productId()}/devices/${device.id}`, body: { notes: 'battery swapped' } });
		expect(cloud().fleet.devices.get(device.id)?.notes).toBe('battery swapped');
	});

	it('starts and stops the rainbow LED', async () => {
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		const started = await runNode({
			parameters: { resource: 'device', operation: 'signal', device: rl('id', device.id), signal: 'start' },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].body).toEqual({ signal: '1' });
		expect(started.items[0].json).toMatchObject({ id: device.id, signaling: true });
		await runNode({
			parameters: { resource: 'device', operation: 'signal', device: rl('id', device.id), signal: 'stop' },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[1].body).toEqual({ signal: '0' });
		expect(cloud().fleet.devices.get(device.id)?.signaling).toBe(false);
	});

	it('pings online and offline devices; an unknown device is an error item', async () => {
		const online = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		const offline = cloud().fleet.sandboxDevices().find((candidate) => !candidate.online)!;
		const result = await runNode({
			parameters: { resource: 'device', operation: 'ping', device: rl('id', '={{ $json.id }}') },
			credentials: userToken(cloud()),
			items: [{ id: online.id }, { id: 'ffffffffffffffffffffffff' }, { id: offline.id }],
			continueOnFail: true,
		});
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([
			`PUT /v1/devices/${online.id}/ping`,
			'PUT /v1/devices/ffffffffffffffffffffffff/ping',
			`PUT /v1/devices/${offline.id}/ping`,
		]);
		expect(result.items.map((item) => item.json.online ?? item.json.error)).toEqual([true, expect.stringMatching(/^Particle could not find it/), false]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});

describe('Device > ownership and product membership', () => {
	it('unclaims a sandbox device (DELETE) and a product device (DELETE .../owner)', async () => {
		const device = sandbox(5);
		await runNode({ parameters: { resource: 'device', operation: 'unclaim', device: rl('id', device.id) }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'DELETE', path: `/v1/devices/${device.id}` });
		expect(cloud().fleet.devices.get(device.id)?.owner ?? null).toBeNull();

		cloud().clearRequests();
		const owned = productDevice(0);
		const result = await runNode({
			parameters: { resource: 'device', operation: 'unclaim', deviceScope: 'product', product: product(), device: rl('id', owned.id) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'DELETE', path: `/v1/products/${productId()}/devices/${owned.id}/owner` });
		expect(result.items[0].json).toMatchObject({ id: owned.id, unclaimed: true });
		expect(cloud().fleet.devices.get(owned.id)?.owner ?? null).toBeNull();
	});

	it('claims a device to the account of the token', async () => {
		const device = sandbox(5);
		const result = await runNode({
			parameters: { resource: 'device', operation: 'claim', deviceId: device.id.toUpperCase() },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'POST', path: '/v1/devices', body: { id: device.id } });
		expect(result.items[0].json).toMatchObject({ id: device.id, ok: true });
		expect(cloud().fleet.devices.get(device.id)?.owner).toBe(cloud().fleet.user.username);
	});

	it('refuses a malformed device ID for claiming before sending', async () => {
		const result = await runNode({ parameters: { resource: 'device', operation: 'claim', deviceId: 'abc' }, credentials: userToken(cloud()) });
		expect(result.error?.message).toBe('Device ID must be 24 hexadecimal characters (got 3 characters)');
		expect(cloud().requests).toHaveLength(0);
	});

	it('marks a product device as a development device and back', async () => {
		const device = productDevice(3);
		await runNode({
			parameters: { resource: 'device', operation: 'setDevelopment', product: product(), device: rl('id', device.id), development: true },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'PUT', path: `/v1/products/${productId()}/devices/${device.id}`, body: { development: true } });
		expect(cloud().fleet.devices.get(device.id)?.development).toBe(true);
		await runNode({
			parameters: { resource: 'device', operation: 'setDevelopment', product: product(), device: rl('id', device.id), development: false },
			credentials: userToken(cloud()),
		});
		expect(cloud().fleet.devices.get(device.id)?.development).toBe(false);
	});

	it('removes a device from a product and adds it back', async () => {
		const device = productDevice(4);
		const removed = await runNode({
			parameters: { resource: 'device', operation: 'removeFromProduct', product: product(), device: rl('id', device.id) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'DELETE', path: `/v1/products/${productId()}/devices/${device.id}`, status: 204 });
		expect(removed.items[0].json).toEqual({ id: device.id, removed: true });
		expect(cloud().fleet.productDevices(productId()).map((candidate) => candidate.id)).not.toContain(device.id);

		cloud().clearRequests();
		const added = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: product(), deviceId: device.id },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'POST', path: `/v1/products/${productId()}/devices`, body: { id: device.id } });
		expect(added.items[0].json).toMatchObject({ updated: 1, updatedDeviceIds: [device.id] });
		expect(cloud().fleet.productDevices(productId()).map((candidate) => candidate.id)).toContain(device.id);
	});

	it('creates claim codes for the sandbox and for a product', async () => {
		const sandboxCode = await runNode({ parameters: { resource: 'device', operation: 'createClaimCode' }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'POST', path: '/v1/device_claims' });
		expect(sandboxCode.items[0].json).toEqual({ claim_code: expect.any(String), device_ids: expect.any(Array) });

		cloud().clearRequests();
		await runNode({
			parameters: { resource: 'device', operation: 'createClaimCode', deviceScope: 'product', product: product(), claimOptions: { iccid: '89014103211118510720' } },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'POST', path: `/v1/products/${productId()}/device_claims`, body: { iccid: '89014103211118510720' } });
	});
});
