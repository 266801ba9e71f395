import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';
import { call, prop } from './helpers';

// A pinned clock: seeded times and last_heard are the same on every run, whatever the date.
const PINNED = Date.parse('2026-03-14T15:26:53.589Z');
const FLEET = { devices: 5, productDevices: 30, now: PINNED };

let cloud: FakeCloud;
let token: string;
let sandbox: FakeDevice[];
let productId: number;
let productDevices: FakeDevice[];
beforeAll(async () => {
	cloud = await startFakeCloud(FLEET);
	token = cloud.tokens.user;
	sandbox = cloud.fleet.sandboxDevices();
	productId = cloud.productClient.productId;
	productDevices = cloud.fleet.productDevices(productId);
});
afterAll(() => cloud.close());

const online = (list: FakeDevice[], n = 0): FakeDevice => list.filter((d) => d.online)[n];
const offline = (list: FakeDevice[]): FakeDevice => list.filter((d) => !d.online)[0];

describe('seeded fleet', () => {
	test('is repeatable for a seed and shaped as documented', async () => {
		const again = await startFakeCloud(FLEET);
		try {
			// With the same clock too, every field is the same, last_heard and last_handshake_at included.
			expect([...again.fleet.devices.values()]).toEqual([...cloud.fleet.devices.values()]);
			expect(again.tokens).toEqual(cloud.tokens);
		} finally {
			await again.close();
		}
		for (const d of cloud.fleet.devices.values()) {
			expect(d.id).toMatch(/^[0-9a-f]{24}$/);
			expect(d.name).toMatch(/^[a-z0-9]+-[a-z]+-\d{2,}$/);
			expect(d.cellular).toBe([13, 23, 26].includes(d.platform_id));
		}
		expect(new Set([...cloud.fleet.devices.values()].map((d) => d.name)).size).toBe(cloud.fleet.devices.size);
		expect(sandbox.filter((d) => !d.online).length).toBeGreaterThan(0);
		expect(cloud.fleet.findProduct(cloud.productClient.productSlug)?.id).toBe(productId);
		expect(productDevices[0].owner).toBe(cloud.fleet.products[0].customers[0].username);
	});
});

describe('listing and getting', () => {
	test('GET /v1/devices is a bare array of the user’s devices, newest session first, without product fields', async () => {
		const res = await call(cloud, 'GET', '/v1/devices', { token });
		const list = res.body as Array<Record<string, unknown>>;
		expect(Array.isArray(list)).toBe(true);
		expect(list.map((d) => d.id).sort()).toEqual(sandbox.map((d) => d.id).sort());
		const handshakes = list.map((d) => String(d.last_handshake_at));
		expect(handshakes).toEqual([...handshakes].sort().reverse());
		expect(list[0]).not.toHaveProperty('groups');
		expect(list[0]).not.toHaveProperty('functions');
		expect(list[0]).toMatchObject({ status: 'normal', notes: null, connected: list[0].online });
	});

	test('GET /v1/devices/:id and by name: functions array and variables type map', async () => {
		const device = online(sandbox);
		const byId = await call(cloud, 'GET', `/v1/devices/${device.id}`, { token });
		const byName = await call(cloud, 'GET', `/v1/devices/${encodeURIComponent(device.name)}`, { token });
		expect(byName.body).toEqual(byId.body);
		expect(byId.body).toMatchObject({
			id: device.id,
			name: device.name,
			product_id: device.platform_id,
			functions: ['setColor', 'led', 'reboot', 'digitalwrite'],
			variables: { temperature: 'double', humidity: 'double', status: 'string', enabled: 'bool', counter: 'int32' },
			device_protection: { status: 'disabled' },
		});
		expect(byId.body).not.toHaveProperty('groups');
		expect(await call(cloud, 'GET', '/v1/devices/no-such-device', { token })).toMatchObject({ status: 404, body: { ok: false, error: 'Device not found.' } });
	});

	test('product get has the product fields; product routes take ids, not names', async () => {
		const device = productDevices[0];
		const res = await call(cloud, 'GET', `/v1/products/${productId}/devices/${device.id}`, { token });
		expect(res.body).toMatchObject({ id: device.id, product_id: productId, groups: device.groups, development: false, quarantined: false, denied: false, firmware_product_id: productId, owner: device.owner });
		expect((await call(cloud, 'GET', `/v1/products/${productId}/devices/${device.name}`, { token })).status).toBe(404);
		expect(await call(cloud, 'GET', '/v1/products/99999/devices', { token })).toMatchObject({ status: 404, body: { ok: false } });
	});
});

describe('product device list', () => {
	const list = (query = ''): Promise<{ devices: Array<Record<string, unknown>>; customers: unknown[]; meta: Record<string, number> }> =>
		call(cloud, 'GET', `/v1/products/${productId}/devices${query}`, { token }).then((r) => {
			if (r.status !== 200) throw new Error(`status ${r.status}: ${r.text}`);
			return r.body as { devices: Array<Record<string, unknown>>; customers: unknown[]; meta: Record<string, number> };
		});

	test('pages of 25 by default with page, per_page, total_pages and total', async () => {
		const first = await list();
		expect(first.devices).toHaveLength(25);
		expect(first.meta).toEqual({ page: 1, per_page: 25, total_pages: 2, total: 30 });
		const second = await list('?page=2');
		expect(second.devices).toHaveLength(5);
		const ids = [...first.devices, ...second.devices].map((d) => d.id);
		expect(new Set(ids).size).toBe(30);
		expect((await list('?page=3')).devices).toEqual([]);
	});

	test('per_page and perPage both work; large values are clamped to 100; bad values are 400', async () => {
		expect((await list('?per_page=10')).meta).toMatchObject({ per_page: 10, total_pages: 3 });
		expect((await list('?perPage=7')).meta).toMatchObject({ per_page: 7, total_pages: 5 });
		expect((await list('?per_page=500')).meta).toMatchObject({ per_page: 100, total_pages: 1 });
		for (const q of ['?page=0', '?per_page=-1', '?page=x']) {
			expect((await call(cloud, 'GET', `/v1/products/${productId}/devices${q}`, { token })).status).toBe(400);
		}
	});

	test('customers lists the owners of the devices on the page', async () => {
		const page = await list('?sortAttr=deviceId&per_page=100');
		const owners = cloud.fleet.products[0].customers.filter((c) => productDevices.some((d) => d.owner === c.username));
		expect(page.customers).toEqual(expect.arrayContaining(owners.map((c) => ({ id: c.id, username: c.username }))));
		expect(page.devices[0]).not.toHaveProperty('functions');
	});

	test('filters: deviceId, deviceName, serialNumber (partial, any case), groups, quarantined', async () => {
		const target = productDevices[7];
		expect((await list(`?deviceId=${target.id.slice(3, 15).toUpperCase()}`)).devices.map((d) => d.id)).toEqual([target.id]);
		const nameHits = (await list(`?deviceName=${target.name.slice(-3)}`)).devices.map((d) => d.id);
		expect(nameHits).toContain(target.id);
		expect((await list(`?serialNumber=${target.serial_number.slice(-8)}`)).devices.map((d) => d.id)).toEqual([target.id]);
		const beta = await list('?groups=beta&per_page=100');
		expect(beta.meta.total).toBe(productDevices.filter((d) => d.groups.includes('beta')).length);
		expect(beta.devices.every((d) => (d.groups as string[]).includes('beta'))).toBe(true);
		const either = await list('?groups=indoor,beta&per_page=100');
		expect(either.meta.total).toBe(productDevices.filter((d) => d.groups.includes('beta') || d.groups.includes('indoor')).length);
		productDevices[3].quarantined = true;
		try {
			expect((await list('?quarantined=true')).devices.map((d) => d.id)).toEqual([productDevices[3].id]);
			expect((await list('?quarantined=false')).meta.total).toBe(29);
		} finally {
			productDevices[3].quarantined = false;
		}
	});

	test('sorting: default last connection desc; deviceId asc/desc; firmwareVersion; bad sortAttr → 400', async () => {
		const heard = (await list('?per_page=100')).devices.map((d) => String(d.last_heard));
		expect(heard).toEqual([...heard].sort().reverse());
		const asc = (await list('?sortAttr=deviceId&per_page=100')).devices.map((d) => String(d.id));
		expect(asc).toEqual([...asc].sort());
		const desc = (await list('?sortAttr=deviceId&sortDir=desc&per_page=100')).devices.map((d) => String(d.id));
		expect(desc).toEqual([...asc].reverse());
		const fw = (await list('?sortAttr=firmwareVersion&per_page=100')).devices.map((d) => Number(d.firmware_version));
		expect(fw).toEqual([...fw].sort((a, b) => a - b));
		// "Options for sorting are deviceName, deviceId, firmwareVersion, or lastConnection."
		const names = (await list('?sortAttr=deviceName&perPage=100')).devices.map((d) => String(d.name));
		expect(names).toEqual(productDevices.map((d) => d.name).sort());
		expect((await list('?sortAttr=deviceName&sortDir=desc&perPage=100')).devices.map((d) => String(d.name))).toEqual([...names].reverse());
		expect((await call(cloud, 'GET', `/v1/products/${productId}/devices?sortAttr=name`, { token })).status).toBe(400);
	});
});

describe('PUT device', () => {
	test('rename echoes {id, name, updated_at} and persists; too long, empty or taken names → 400', async () => {
		const device = sandbox[2];
		const res = await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { name: 'renamed-by-test' } });
		expect(res.body).toEqual({ id: device.id, name: 'renamed-by-test', updated_at: expect.any(String) });
		expect(prop(await call(cloud, 'GET', '/v1/devices/renamed-by-test', { token }), 'id')).toBe(device.id);
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { name: 'x'.repeat(65) } })).status).toBe(400);
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { name: '' } })).status).toBe(400);
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { name: sandbox[0].name } })).status).toBe(400);
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { name: 'x'.repeat(64) } })).status).toBe(200);
	});

	test('notes (form body too) and firmware_updates_forced', async () => {
		const device = sandbox[3];
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, form: { notes: 'in the shed' } })).body).toEqual({ id: device.id, notes: 'in the shed', updated_at: expect.any(String) });
		expect(device.notes).toBe('in the shed');
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { notes: null } })).body).toMatchObject({ notes: null });
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { firmware_updates_forced: true } })).body).toMatchObject({ firmware_updates_forced: true });
	});

	test('signal "1"/"0" → {id, connected, signaling}; offline device → 404; junk → 400', async () => {
		const device = online(sandbox);
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, form: { signal: '1' } })).body).toEqual({ id: device.id, connected: true, signaling: true });
		expect(device.signaling).toBe(true);
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { signal: false } })).body).toEqual({ id: device.id, connected: true, signaling: false });
		expect((await call(cloud, 'PUT', `/v1/devices/${offline(sandbox).id}`, { token, json: { signal: '1' } })).status).toBe(404);
		expect((await call(cloud, 'PUT', `/v1/devices/${device.id}`, { token, json: { signal: 'maybe' } })).status).toBe(400);
	});

	test('product-only fields: accepted on the product route, refused on the sandbox route; empty update → 400', async () => {
		const device = productDevices[4];
		const path = `/v1/products/${productId}/devices/${device.id}`;
		expect((await call(cloud, 'PUT', path, { token, json: { development: true } })).body).toEqual({ id: device.id, development: true, updated_at: expect.any(String) });
		expect((await call(cloud, 'PUT', path, { token, json: { desired_firmware_version: 3, flash: false } })).body).toMatchObject({ desired_firmware_version: 3 });
		expect((await call(cloud, 'PUT', path, { token, json: { desired_firmware_version: null } })).body).toMatchObject({ desired_firmware_version: null });
		expect((await call(cloud, 'PUT', path, { token, json: { groups: ['beta', 'lab'] } })).body).toMatchObject({ groups: ['beta', 'lab'] });
		expect(cloud.fleet.products[0].groups).toContain('lab');
		expect((await call(cloud, 'PUT', `/v1/devices/${sandbox[0].id}`, { token, json: { development: true } })).status).toBe(400);
		expect((await call(cloud, 'PUT', path, { token, json: {} })).status).toBe(400);
	});
});

describe('ping, variables, functions', () => {
	test('ping: {online, ok}', async () => {
		expect((await call(cloud, 'PUT', `/v1/devices/${online(sandbox).id}/ping`, { token })).body).toEqual({ online: true, ok: true });
		expect((await call(cloud, 'PUT', `/v1/devices/${offline(sandbox).id}/ping`, { token })).body).toEqual({ online: false, ok: true });
		expect((await call(cloud, 'PUT', `/v1/products/${productId}/devices/${productDevices[0].id}/ping`, { token })).body).toEqual({ online: true, ok: true });
	});

	test('variable: {name, result, coreInfo}; format=raw is the bare value; setVariable shows through', async () => {
		const device = online(sandbox);
		cloud.setVariable(device.id, 'temperature', 21.5);
		const res = await call(cloud, 'GET', `/v1/devices/${device.id}/temperature`, { token });
		expect(res.body).toEqual({
			name: 'temperature',
			result: 21.5,
			coreInfo: { name: device.name, deviceID: device.id, connected: true, last_handshake_at: device.last_handshake_at, last_app: null, last_heard: expect.any(String) },
		});
		const raw = await call(cloud, 'GET', `/v1/devices/${device.id}/temperature?format=raw`, { token });
		expect(raw.text).toBe('21.5');
		expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
		cloud.setVariable(device.id, 'status', 'hot');
		expect(prop(await call(cloud, 'GET', `/v1/devices/${device.id}/status`, { token }), 'result')).toBe('hot');
		expect(prop(await call(cloud, 'GET', `/v1/products/${productId}/devices/${productDevices[0].id}/enabled`, { token }), 'name')).toBe('enabled');
	});

	test('variable errors: unknown → 404 Variable not found; offline → 404', async () => {
		expect(await call(cloud, 'GET', `/v1/devices/${online(sandbox).id}/nope`, { token })).toMatchObject({ status: 404, body: { ok: false, error: 'Variable not found' } });
		expect(await call(cloud, 'GET', `/v1/devices/${online(sandbox).id}/__proto__`, { token })).toMatchObject({ status: 404 });
		// The reference's Errors table: "404 Not Found - The device you requested is not currently connected to the cloud."
		expect(await call(cloud, 'GET', `/v1/devices/${offline(sandbox).id}/temperature`, { token })).toMatchObject({
			status: 404,
			body: { ok: false, error: 'The device you requested is not currently connected to the cloud.' },
		});
	});

	test('function: args (JSON) or arg (form), real return values, format=raw, calls recorded', async () => {
		const device = online(sandbox, 1);
		const fn = (name: string, options: Parameters<typeof call>[3]): Promise<unknown> =>
			call(cloud, 'POST', `/v1/devices/${device.id}/${name}`, { token, ...options }).then((r) => r.body);
		expect(await fn('setColor', { json: { args: '255,0,10' } })).toEqual({ id: device.id, name: 'setColor', connected: true, return_value: 1 });
		expect(await fn('setColor', { form: { arg: '256,0,0' } })).toMatchObject({ return_value: 0 });
		expect(await fn('led', { json: { arg: 'on' } })).toMatchObject({ return_value: 1 });
		expect(await fn('led', { json: { arg: 'blink' } })).toMatchObject({ return_value: -1 });
		expect(await fn('reboot', {})).toMatchObject({ return_value: 0 });
		expect(await fn('digitalwrite', { json: { args: 'D7,HIGH' } })).toMatchObject({ return_value: 1 });
		const raw = await call(cloud, 'POST', `/v1/devices/${device.id}/led?format=raw`, { token, json: { arg: 'off' } });
		expect(raw.text).toBe('1');
		expect(device.calls.map((c) => `${c.name}(${c.arg})=${c.return_value}`)).toEqual([
			'setColor(255,0,10)=1', 'setColor(256,0,0)=0', 'led(on)=1', 'led(blink)=-1', 'reboot()=0', 'digitalwrite(D7,HIGH)=1', 'led(off)=1',
		]);
	});

	test('function errors: unknown → 404, argument over 1024 bytes → 400, offline → 404', async () => {
		const id = online(sandbox).id;
		expect(await call(cloud, 'POST', `/v1/devices/${id}/explode`, { token, json: { arg: '' } })).toMatchObject({ status: 404, body: { ok: false, error: 'Function explode not found' } });
		expect((await call(cloud, 'POST', `/v1/devices/${id}/led`, { token, json: { arg: 'x'.repeat(1024) } })).status).toBe(200);
		expect((await call(cloud, 'POST', `/v1/devices/${id}/led`, { token, json: { arg: 'é'.repeat(513) } })).status).toBe(400);
		expect(await call(cloud, 'POST', `/v1/devices/${offline(sandbox).id}/led`, { token, json: { arg: 'on' } })).toMatchObject({
			status: 404,
			body: { ok: false, error: 'The device you requested is not currently connected to the cloud.' },
		});
		// Even for a function it does not have: an offline device cannot say what it has.
		expect(prop(await call(cloud, 'POST', `/v1/products/${productId}/devices/${offline(productDevices).id}/explode`, { token }), 'error')).toBe(
			'The device you requested is not currently connected to the cloud.',
		);
		expect((await call(cloud, 'POST', `/v1/devices/${id}/led`, { token, json: { arg: { on: true } } })).status).toBe(400);
	});

	test('setOnline flips a device and emits spark/status', async () => {
		const device = offline(sandbox);
		const seen: string[] = [];
		const listener = (e: { name: string; data: string | null; coreid: string }): void => void seen.push(`${e.name}:${e.data}:${e.coreid}`);
		cloud.fleet.events.on('event', listener);
		cloud.setOnline(device.id, true);
		cloud.fleet.events.off('event', listener);
		expect(seen).toEqual([`spark/status:online:${device.id}`]);
		expect(device.last_heard).toBe(new Date(PINNED).toISOString());
		expect((await call(cloud, 'GET', `/v1/devices/${device.id}/counter`, { token })).status).toBe(200);
		cloud.setOnline(device.id, false);
	});
});
