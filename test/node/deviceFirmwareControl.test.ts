/**
 * Device > Lock Firmware, Unlock Firmware and Set Force OTA through n8n's engine against the fake cloud: the PUT on the
 * product device that reached the cloud, the echo that came out, what the fake's device reports afterwards, input
 * refused before sending, and a write never sent twice after a 500.
 */
import type { IDataObject } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 2, products: 1, productDevices: 6, seed: 5 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const productId = () => cloud().productClient.productId;
const devices = () => cloud().fleet.productDevices(productId());
const paired = (jsons: unknown[], item = 0) => jsons.map((json) => ({ json, pairedItem: { item } }));
const devicePath = (id: string) => `/v1/products/${productId()}/devices/${id}`;

function puts(): Array<{ path: string; body: unknown; authorization?: string }> {
	return apiCalls(cloud())
		.filter((call) => call.method === 'PUT')
		.map(({ path, body, authorization }) => ({ path, body, authorization }));
}

async function productDevice(id: string): Promise<IDataObject> {
	const response = await fetch(`${cloud().url}${devicePath(id)}`, { headers: { Authorization: `Bearer ${cloud().tokens.user}` } });
	return (await response.json()) as IDataObject;
}

describe('Lock Firmware', () => {
	it('sends desired_firmware_version; the device reports the lock; one item per input item', async () => {
		const [first, second] = devices();
		const result = await runNode({
			parameters: { resource: 'device', operation: 'lockFirmware', product: rl('id', String(productId())), device: rl('id', '={{ $json.id }}'), version: '={{ $json.version }}' },
			credentials: user(),
			items: [{ id: first.id, version: 3 }, { id: second.id, version: 4 }],
		});
		expect(puts()).toEqual([
			{ path: devicePath(first.id), body: { desired_firmware_version: 3 }, authorization: `Bearer ${cloud().tokens.user}` },
			{ path: devicePath(second.id), body: { desired_firmware_version: 4 }, authorization: `Bearer ${cloud().tokens.user}` },
		]);
		expect(apiCalls(cloud())).toHaveLength(2);
		expect(result.items).toEqual([
			...paired([{ id: first.id, desired_firmware_version: 3, updated_at: expect.any(String) }], 0),
			...paired([{ id: second.id, desired_firmware_version: 4, updated_at: expect.any(String) }], 1),
		]);
		expect(await productDevice(first.id)).toMatchObject({ desired_firmware_version: 3 });
	});

	it('Flash Now sends flash: true and an online device runs the version at once; by name, the device is looked up first', async () => {
		const device = devices()[2];
		cloud().setOnline(device.id, true);
		device.firmware_version = 1;
		const result = await runNode({
			parameters: { resource: 'device', operation: 'lockFirmware', product: rl('id', String(productId())), device: rl('name', device.name), version: 2, flash: true },
			credentials: user(),
		});
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path.split('?')[0]}`)).toEqual([`GET /v1/products/${productId()}/devices`, `PUT ${devicePath(device.id)}`]);
		expect(puts()[0].body).toEqual({ desired_firmware_version: 2, flash: true });
		expect(result.items[0].json).toMatchObject({ id: device.id, desired_firmware_version: 2 });
		expect(await productDevice(device.id)).toMatchObject({ desired_firmware_version: 2, firmware_version: 2 });
	});

	it.each([
		['version 0', { version: 0 }, 'Version must be a whole number of 1 or more (got 0)'],
		['a version that is text', { version: '={{ "latest" }}' }, 'Version must be a whole number of 1 or more (got "latest")'],
		['a version past 65535', { version: '={{ 65536 }}' }, 'Version must be 65535 or less (got 65536): PRODUCT_VERSION is a 16-bit number'],
		['Flash Now that is not a boolean', { version: 2, flash: '={{ "soon" }}' }, 'Flash Now must be true or false (got "soon")'],
		['a device ID of the wrong shape', { version: 2, device: rl('id', '={{ "12345" }}') }, 'Device ID must be 24 hexadecimal characters (got 5 characters)'],
	])('refuses %s before sending', async (_case, extra, message) => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'lockFirmware', product: rl('id', String(productId())), device: rl('id', devices()[0].id), ...extra },
			credentials: user(),
		});
		expect(result.error?.message).toBe(message);
		expect(cloud().requests).toHaveLength(0);
	});

	it('is not sent again after a 500', async () => {
		const device = devices()[3];
		cloud().injectFault({ method: 'PUT', path: devicePath(device.id), status: 500 });
		const result = await runNode({ parameters: { resource: 'device', operation: 'lockFirmware', product: rl('id', String(productId())), device: rl('id', device.id), version: 2 }, credentials: user() });
		expect(result.error?.httpCode).toBe('500');
		expect(apiCalls(cloud())).toHaveLength(1);
		expect(device.desired_firmware_version).toBeNull();
	});
});

describe('Unlock Firmware', () => {
	it('sends desired_firmware_version: null; the device runs what is released to it again', async () => {
		const device = devices()[0];
		device.desired_firmware_version = 3;
		const result = await runNode({ parameters: { resource: 'device', operation: 'unlockFirmware', product: rl('id', String(productId())), device: rl('list', device.id) }, credentials: user() });
		expect(puts()).toEqual([{ path: devicePath(device.id), body: { desired_firmware_version: null }, authorization: `Bearer ${cloud().tokens.user}` }]);
		expect(result.items).toEqual(paired([{ id: device.id, desired_firmware_version: null, updated_at: expect.any(String) }]));
		expect(await productDevice(device.id)).toMatchObject({ desired_firmware_version: null });
	});
});

describe('Set Force OTA', () => {
	it('sends firmware_updates_forced on and off; the device reports it', async () => {
		const device = devices()[1];
		const run = (forced: boolean | string) =>
			runNode({ parameters: { resource: 'device', operation: 'setForceOta', product: rl('id', String(productId())), device: rl('id', device.id), forced }, credentials: user() });
		const on = await run(true);
		expect(on.items).toEqual(paired([{ id: device.id, firmware_updates_forced: true, updated_at: expect.any(String) }]));
		expect(await productDevice(device.id)).toMatchObject({ firmware_updates_forced: true });
		const off = await run('={{ "false" }}');
		expect(off.items[0].json).toMatchObject({ firmware_updates_forced: false });
		expect(puts().map((call) => call.body)).toEqual([{ firmware_updates_forced: true }, { firmware_updates_forced: false }]);
		expect(device.firmware_updates_forced).toBe(false);
	});

	it('refuses a product that is neither an ID nor a slug before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'setForceOta', product: rl('id', '={{ "../sims" }}'), device: rl('id', devices()[0].id), forced: true },
			credentials: user(),
		});
		expect(result.error?.message).toBe('Product must be a product ID (a number) or a product slug such as "my-product-1234"');
		expect(cloud().requests).toHaveLength(0);
	});
});
