/**
 * The fake's product firmware (Cloud API > Product firmware, Firmware > Lock product device): uploads kept with their
 * bytes, releases that change what devices target and run, locks, deletion of what was never released, scopes, and
 * particle-api-js's own calls.
 */
import Particle from 'particle-api-js';

import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';
import { call, prop, type CallResult } from './helpers';

let cloud: FakeCloud;
let particle: Particle;
let product: number;
/** The highest version the seeded fleet runs: it may be released. */
let seededTop: number;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 2, products: 1, productDevices: 9, seed: 7 });
	particle = new Particle({ baseUrl: cloud.url });
	product = cloud.productClient.productId;
	seededTop = Math.max(...cloud.fleet.productDevices(product).map((device) => device.firmware_version ?? 0));
});
afterAll(() => cloud.close());

const user = () => cloud.tokens.user;
const devices = (): FakeDevice[] => cloud.fleet.productDevices(product);
const firmwarePath = (rest = '') => `/v1/products/${product}/firmware${rest}`;
const runningVersion = () => seededTop;

/** Bytes no UTF-8 decoder keeps: every byte value, twice. */
const BINARY = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), ...Array.from({ length: 256 }, (_, i) => 255 - i)]);

async function upload(fields: Record<string, string>, file: { name?: string; bytes?: Buffer; type?: string } | null, token = user()): Promise<CallResult> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	if (file) form.append(file.name ?? 'file', new Blob([file.bytes ?? BINARY], { type: file.type ?? 'application/octet-stream' }), 'app.bin');
	const response = await fetch(`${cloud.url}${firmwarePath()}`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
	const text = await response.text();
	return { status: response.status, headers: response.headers, text, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

describe('the firmware list', () => {
	it('starts with the versions the fleet runs, each in the shape of "Get product firmware"', async () => {
		const running = [...new Set(devices().map((device) => device.firmware_version))].sort();
		const list = await call(cloud, 'GET', firmwarePath(), { token: user() });
		expect(list.status).toBe(200);
		const entries = list.body as Array<Record<string, unknown>>;
		expect(entries.map((entry) => entry.version)).toEqual(running);
		expect(entries[0]).toEqual({
			_id: expect.stringMatching(/^[0-9a-f]{24}$/),
			version: running[0],
			title: expect.any(String),
			description: '',
			name: 'firmware.bin',
			size: expect.any(Number),
			product_default: false,
			groups: [],
			mandatory: false,
			uploaded_on: expect.any(String),
			product_id: product,
			uploaded_by: { username: cloud.fleet.user.username },
			device_count: devices().filter((device) => device.firmware_version === running[0]).length,
		});
		const one = await call(cloud, 'GET', firmwarePath(`/${running[0]}`), { token: user() });
		expect(one.body).toEqual(entries[0]);
		expect((await call(cloud, 'GET', firmwarePath('/999'), { token: user() })).status).toBe(404);
		expect((await call(cloud, 'GET', firmwarePath('/abc'), { token: user() })).status).toBe(404);
	});
});

describe('upload', () => {
	it('keeps the version, title, description, file name and the exact bytes; answers 201 with the object', async () => {
		const result = await upload({ version: '20', title: 'Battery fix', description: 'Less sleep' }, { name: 'file' });
		expect(result.status).toBe(201);
		expect(result.body).toMatchObject({ version: 20, title: 'Battery fix', description: 'Less sleep', name: 'app.bin', size: BINARY.length, product_default: false, groups: [] });
		const stored = cloud.fleet.productFirmware.get(product)?.find((firmware) => firmware.version === 20);
		expect(stored?.bytes?.equals(BINARY)).toBe(true);
	});

	it('takes the older `binary` part name too, as the reference says', async () => {
		const result = await upload({ version: '21', title: 'Old client' }, { name: 'binary', bytes: Buffer.from('x') });
		expect(result.status).toBe(201);
		expect(prop(result, 'size')).toBe(1);
	});

	it.each([
		['no file', { version: '30', title: 't' }, null],
		['an empty file', { version: '30', title: 't' }, { bytes: Buffer.alloc(0) }],
		['no version', { title: 't' }, {}],
		['version 0', { version: '0', title: 't' }, {}],
		['a version that is not a number', { version: 'v3', title: 't' }, {}],
		['no title', { version: '30' }, {}],
		['a version the product has', { version: '20', title: 'again' }, {}],
	])('refuses %s with 400', async (_case, fields, file) => {
		const result = await upload(fields as Record<string, string>, file as { bytes?: Buffer } | null);
		expect([result.status, prop(result, 'ok')]).toEqual([400, false]);
		expect(cloud.fleet.productFirmware.get(product)?.some((firmware) => firmware.version === 30)).toBe(false);
	});

	it('refuses JSON: the firmware comes as multipart', async () => {
		const result = await call(cloud, 'POST', firmwarePath(), { token: user(), json: { version: 31, title: 't' } });
		expect(result.status).toBe(400);
	});

	it('needs firmware:create from an API user', async () => {
		const lister = cloud.issueToken({ kind: 'apiUser', productId: product, scopes: ['firmware:list'] });
		const creator = cloud.issueToken({ kind: 'apiUser', productId: product, scopes: ['firmware:create'] });
		expect((await upload({ version: '32', title: 't' }, {}, lister)).body).toEqual({ error: 'unauthorized', error_description: 'This endpoint requires the firmware:create scope' });
		expect((await upload({ version: '32', title: 't' }, {}, creator)).status).toBe(201);
		expect((await call(cloud, 'GET', firmwarePath(), { token: lister })).status).toBe(200);
	});
});

describe('release', () => {
	it('refuses a version no device has run yet, as the reference says', async () => {
		const result = await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version: 20, groups: ['beta'] } });
		expect(result.status).toBe(400);
		expect(cloud.fleet.productFirmware.get(product)?.find((firmware) => firmware.version === 20)?.groups).toEqual([]);
	});

	it('to a group: its devices target the version, others do not; the group moves off its former version', async () => {
		const version = runningVersion();
		const result = await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version, groups: ['beta'], intelligent: false } });
		expect(result.status).toBe(200);
		expect(result.body).toMatchObject({ version, groups: ['beta'], product_default: false, intelligent: false, updated_at: expect.any(String) });
		for (const device of devices()) {
			expect([device.id, device.targeted_firmware_release_version]).toEqual([device.id, device.groups.includes('beta') ? version : null]);
		}
		const lower = Math.min(...devices().map((device) => device.firmware_version ?? Infinity));
		await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version: lower, groups: ['beta'] } });
		const list = (await call(cloud, 'GET', firmwarePath(), { token: user() })).body as Array<{ version: number; groups: string[] }>;
		expect(list.filter((firmware) => firmware.groups.includes('beta')).map((firmware) => firmware.version)).toEqual([lower]);
	});

	it('as the product default: every device targets it, except where a group release is higher', async () => {
		const lowest = Math.min(...devices().map((device) => device.firmware_version ?? Infinity));
		const highest = runningVersion();
		await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version: highest, groups: ['indoor'] } });
		const result = await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), form: { version: String(lowest), product_default: 'true' } });
		expect(result.status).toBe(200);
		expect(prop(result, 'product_default')).toBe(true);
		for (const device of devices()) {
			const expected = device.groups.includes('indoor') ? highest : lowest;
			expect([device.id, device.targeted_firmware_release_version]).toEqual([device.id, expected]);
		}
	});

	it('a non-intelligent release reaches a device when it next comes online; an intelligent one reboots the online devices now', async () => {
		const outdoor = devices().filter((device) => device.groups.includes('outdoor') && !device.groups.includes('indoor'));
		const [later, now] = outdoor;
		cloud.setOnline(later.id, false);
		cloud.setOnline(now.id, true);
		const version = runningVersion();
		expect(version).toBeGreaterThan(1);
		later.firmware_version = 1;
		now.firmware_version = 1;
		// Not intelligent: nothing runs it yet.
		await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version, groups: ['outdoor'] } });
		expect(later.targeted_firmware_release_version).toBe(version);
		cloud.setOnline(later.id, true);
		expect(later.firmware_version).toBe(version);
		expect(now.firmware_version).toBe(1);
		// Intelligent: the online device restarts into it (offline, then online).
		const statuses: string[] = [];
		cloud.fleet.events.on('event', (event) => {
			if (event.coreid === now.id && event.name === 'spark/status') statuses.push(String(event.data));
		});
		await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version, groups: ['outdoor'], intelligent: true } });
		expect(now.firmware_version).toBe(version);
		expect(statuses).toEqual(['offline', 'online']);
		expect(now.online).toBe(true);
	});

	it('refuses an unknown group and an unknown version', async () => {
		expect((await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version: runningVersion(), groups: ['nope'] } })).status).toBe(400);
		expect((await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { version: 777 } })).status).toBe(404);
		expect((await call(cloud, 'PUT', firmwarePath('/release'), { token: user(), json: { groups: ['beta'] } })).status).toBe(400);
	});
});

describe('locks', () => {
	it('a locked device reports desired_firmware_version and runs it after flash while online; unlocking returns it to the release', async () => {
		const device = devices().find((candidate) => !candidate.groups.includes('indoor')) as FakeDevice;
		cloud.setOnline(device.id, true);
		const locked = await call(cloud, 'PUT', `/v1/products/${product}/devices/${device.id}`, { token: user(), json: { desired_firmware_version: 20, flash: true } });
		expect(locked.body).toMatchObject({ id: device.id, desired_firmware_version: 20 });
		expect(device.firmware_version).toBe(20);
		const read = await call(cloud, 'GET', `/v1/products/${product}/devices/${device.id}`, { token: user() });
		expect(read.body).toMatchObject({ desired_firmware_version: 20, firmware_version: 20 });
		await call(cloud, 'PUT', `/v1/products/${product}/devices/${device.id}`, { token: user(), json: { desired_firmware_version: null } });
		expect(device.desired_firmware_version).toBeNull();
		cloud.restartSession(device.id);
		expect(device.firmware_version).toBe(device.targeted_firmware_release_version);
	});

	it('a lock without flash waits for the next connection; an offline device is not flashed', async () => {
		const device = devices()[devices().length - 1];
		cloud.setOnline(device.id, false);
		const before = device.firmware_version;
		await call(cloud, 'PUT', `/v1/products/${product}/devices/${device.id}`, { token: user(), json: { desired_firmware_version: 21, flash: true } });
		expect(device.firmware_version).toBe(before);
		cloud.setOnline(device.id, true);
		expect(device.firmware_version).toBe(21);
	});
});

describe('delete', () => {
	it('deletes a version never released (204), refuses a released one', async () => {
		await upload({ version: '40', title: 'Scratch' }, {});
		expect((await call(cloud, 'DELETE', firmwarePath('/40'), { token: user() })).status).toBe(204);
		expect((await call(cloud, 'GET', firmwarePath('/40'), { token: user() })).status).toBe(404);
		expect((await call(cloud, 'DELETE', firmwarePath(`/${runningVersion()}`), { token: user() })).status).toBe(400);
	});
});

describe('particle-api-js', () => {
	it('uploadProductFirmware, getProductFirmware, updateProductFirmware, listProductFirmware, releaseProductFirmware', async () => {
		const auth = user();
		const uploaded = await particle.uploadProductFirmware({ file: BINARY, version: 50, title: 'From the client', description: 'api-js', product, auth });
		expect(uploaded.body).toMatchObject({ version: 50, title: 'From the client', description: 'api-js', size: BINARY.length, name: 'firmware.bin' });
		expect(cloud.fleet.productFirmware.get(product)?.find((firmware) => firmware.version === 50)?.bytes?.equals(BINARY)).toBe(true);
		const got = await particle.getProductFirmware({ version: 50, product, auth });
		expect(got.body).toMatchObject({ version: 50, title: 'From the client' });
		const edited = await particle.updateProductFirmware({ version: 50, title: 'Renamed', product, auth });
		expect(edited.body).toMatchObject({ version: 50, title: 'Renamed', description: 'api-js' });
		const listed = await particle.listProductFirmware({ product, auth });
		expect((listed.body as unknown as Array<{ version: number }>).map((firmware) => firmware.version)).toContain(50);
		const version = runningVersion();
		const released = await particle.releaseProductFirmware({ version, product, groups: ['beta'], intelligent: false, auth });
		expect(released.body).toMatchObject({ version, groups: ['beta'] });
	});

	it('lockDeviceProductFirmware and unlockDeviceProductFirmware', async () => {
		const auth = user();
		const device = devices()[0];
		const locked = await particle.lockDeviceProductFirmware({ deviceId: device.id, desiredFirmwareVersion: 21, product, auth });
		expect(locked.body).toMatchObject({ id: device.id, desired_firmware_version: 21 });
		await particle.unlockDeviceProductFirmware({ deviceId: device.id, product, auth });
		expect(device.desired_firmware_version).toBeNull();
	});
});
