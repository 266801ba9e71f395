/** Direct HTTP tests of the vitals routes: shapes, the generated history, date rules, CSV, refresh, knobs, scopes. */
import { startFakeCloud, type FakeCloud, type FakeDevice, type FleetEvent } from '../../fake-cloud';
import { DOCUMENTED_VITALS_PATHS } from '../../fake-cloud/vitals';
import { call, prop, streamedGet } from './helpers';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// The fake's clock is pinned, off the hour: no test here depends on the date or the hour it runs at.
const PINNED = Date.parse('2026-03-14T15:26:53.589Z');
const FLEET = { devices: 4, products: 2, productDevices: 4, now: PINNED };

let cloud: FakeCloud;
beforeAll(async () => {
	// Product 10001 is Wi-Fi (Argon), product 10002 cellular (Tracker).
	cloud = await startFakeCloud(FLEET);
});
afterAll(() => cloud.close());

const iso = (msAgo: number) => new Date(cloud.now() - msAgo).toISOString();
const user = () => ({ token: cloud.tokens.user });
const productOf = (index: number) => cloud.fleet.products[index].id;
const productDevice = (index: number, online = true) => cloud.fleet.productDevices(productOf(index)).find((device) => device.online === online)!;
const sandboxDevice = (online = true) => cloud.fleet.sandboxDevices().find((device) => device.online === online)!;

interface Vitals {
	updated_at: string;
	deviceID: string;
	payload: {
		device: {
			network: { signal: Record<string, unknown>; cellular?: Record<string, unknown>; connection: Record<string, unknown> };
			cloud: { connection: { disconnects: number }; coap: Record<string, unknown> };
			power: { battery: { charge: number; state: string }; source: string };
			system: { uptime: number; memory: { used: number; total: number } };
		};
		service: Record<string, unknown>;
	};
}

/**
 * What a session counter does over any 4-day window, true by construction of the generator: it never falls but at a
 * reboot (uptime falls), and a device reboots at most once in 4 days (every 20-40 days); it counts up within a boot
 * (a 4-day window keeps at least 47 h of one boot, and a disconnect comes every 12-36 h); a device that reboots had
 * been up for weeks, so its count was above 0 and starts again lower; without a reboot in the window the device has
 * been up at least 4 days, so the last count is above 0. (Right after a reboot 0 is the true count: Device OS counts
 * since boot. Asserting "the last record is above 0" for every window was what failed on some dates and hours.)
 */
function disconnectProblems(records: Vitals[]): string[] {
	const problems: string[] = [];
	const device = records.map((record) => record.payload.device);
	const disconnects = (index: number) => device[index].cloud.connection.disconnects;
	let reboots = 0;
	let rose = false;
	for (let index = 1; index < device.length; index++) {
		const at = records[index].updated_at;
		if (device[index].system.uptime < device[index - 1].system.uptime) {
			reboots++;
			if (!(disconnects(index - 1) > 0)) problems.push(`${at}: rebooted from ${disconnects(index - 1)} disconnects`);
			if (!(disconnects(index) < disconnects(index - 1))) problems.push(`${at}: ${disconnects(index)} disconnects after a reboot`);
		} else {
			if (disconnects(index) < disconnects(index - 1)) problems.push(`${at}: fell to ${disconnects(index)} without a reboot`);
			if (disconnects(index) > disconnects(index - 1)) rose = true;
		}
	}
	if (device.length < 95) problems.push(`only ${device.length} records`);
	if (reboots > 1) problems.push(`${reboots} reboots`);
	if (!rose) problems.push('never rose within a boot');
	if (reboots === 0 && !(disconnects(device.length - 1) > 0)) problems.push('0 disconnects at the end without a reboot');
	return problems;
}

async function history(path: string, query = ''): Promise<Vitals[]> {
	const response = await call(cloud, 'GET', `${path}${query}`, user());
	expect(response.status).toBe(200);
	return (response.body as { diagnostics: Vitals[] }).diagnostics;
}

describe('last vitals', () => {
	it.each([
		['a Wi-Fi device', 0, false],
		['a cellular device', 1, true],
	])('%s: the §7.1 payload, cellular block only when cellular', async (_name, product, cellular) => {
		const device = productDevice(product);
		const response = await call(cloud, 'GET', `/v1/products/${productOf(product)}/diagnostics/${device.id}/last`, user());
		expect(response.status).toBe(200);
		const { diagnostics } = response.body as { diagnostics: Vitals };
		expect(diagnostics).toEqual({ updated_at: expect.any(String), deviceID: device.id, payload: expect.any(Object) });
		expect(PINNED - Date.parse(diagnostics.updated_at)).toBeGreaterThanOrEqual(0);
		expect(PINNED - Date.parse(diagnostics.updated_at)).toBeLessThan(HOUR);
		const { network, cloud: session, power, system } = diagnostics.payload.device;
		expect(network.signal).toMatchObject({ strength: expect.any(Number), strengthv: expect.any(Number), quality: expect.any(Number), strength_units: '%', strengthv_units: 'dBm' });
		expect(network.signal.strengthv as number).toBeLessThan(0);
		expect(network.cellular !== undefined).toBe(cellular);
		if (cellular) expect(network.cellular).toMatchObject({ radio_access_technology: 'LTE', cell_global_identity: expect.objectContaining({ mobile_country_code: 310 }) });
		expect(session.connection).toMatchObject({ status: 'connected', disconnects: expect.any(Number), attempts: expect.any(Number) });
		expect(session.coap).toMatchObject({ transmit: expect.any(Number), retransmit: expect.any(Number), round_trip: expect.any(Number) });
		expect(power.battery.charge).toBeGreaterThanOrEqual(0);
		expect(power.battery.charge).toBeLessThanOrEqual(100);
		expect(['charging', 'charged', 'discharging']).toContain(power.battery.state);
		expect(['VIN', 'battery']).toContain(power.source);
		expect(system).toEqual({ uptime: expect.any(Number), memory: { used: expect.any(Number), total: 113_664 } });
		expect(diagnostics.payload.service).toMatchObject({ device: { status: 'ok' } });
	});

	it('an offline device reported nothing after it was last heard from', async () => {
		const device = sandboxDevice(false);
		const last = (await call(cloud, 'GET', `/v1/diagnostics/${device.id}/last`, user())).body as { diagnostics: Vitals };
		expect(Date.parse(last.diagnostics.updated_at)).toBeLessThanOrEqual(Date.parse(device.last_heard!));
		const records = await history(`/v1/diagnostics/${device.id}`, `?start_date=${iso(DAY)}`);
		expect(records.every((record) => record.updated_at <= device.last_heard!)).toBe(true);
	});

	it('a device never heard from sent no vitals: 404 on /last, no history, a CSV of the header alone', async () => {
		const loop = await startFakeCloud(FLEET);
		try {
			const device = loop.fleet.sandboxDevices().find((candidate) => !candidate.online)!;
			device.last_heard = null;
			const token = { token: loop.tokens.user };
			const last = await call(loop, 'GET', `/v1/diagnostics/${device.id}/last`, token);
			expect(last.status).toBe(404);
			expect(last.body).toEqual({ ok: false, error: expect.any(String) });
			expect((await call(loop, 'GET', `/v1/diagnostics/${device.id}`, token)).body).toEqual({ diagnostics: [] });
			const csv = await call(loop, 'GET', `/v1/diagnostics/${device.id}`, { ...token, headers: { accept: 'text/csv' } });
			expect(csv.text).toBe(`${['deviceID', 'updated_at', ...DOCUMENTED_VITALS_PATHS].join(',')}\n`);
			// Once it reports, that record is its last and its whole history.
			loop.setVitals(device.id, { device: { power: { battery: { charge: 50 } } } });
			const reported = (await call(loop, 'GET', `/v1/diagnostics/${device.id}/last`, token)).body as { diagnostics: Vitals };
			expect(reported.diagnostics.payload.device.power.battery.charge).toBe(50);
			expect((await call(loop, 'GET', `/v1/diagnostics/${device.id}`, token)).body).toEqual({ diagnostics: [reported.diagnostics] });
		} finally {
			await loop.close();
		}
	});

	it('takes the device name on the sandbox route and the product slug on the product route', async () => {
		const device = sandboxDevice();
		expect((await call(cloud, 'GET', `/v1/diagnostics/${device.name}/last`, user())).status).toBe(200);
		const slug = cloud.fleet.products[1].slug;
		expect((await call(cloud, 'GET', `/v1/products/${slug}/diagnostics/${productDevice(1).id}/last`, user())).status).toBe(200);
		expect((await call(cloud, 'GET', `/v1/products/${slug}/diagnostics/${productDevice(0).id}/last`, user())).status).toBe(404);
	});
});

describe('history', () => {
	it('without dates: the 30 days kept, hourly, oldest first', async () => {
		const records = await history(`/v1/diagnostics/${sandboxDevice().id}`);
		// Off the hour, 30 days hold exactly 720 hourly records.
		expect(records).toHaveLength(720);
		const times = records.map((record) => Date.parse(record.updated_at));
		expect(times[0]).toBeGreaterThanOrEqual(PINNED - 30 * DAY);
		expect(times.at(-1)).toBeLessThanOrEqual(PINNED);
		expect(times.slice(1).every((at, index) => at - times[index] === HOUR)).toBe(true);
	});

	it('drifts plausibly: battery charges and drains, signal and memory wander, disconnects only rise until a reboot', async () => {
		const records = await history(`/v1/products/${productOf(1)}/diagnostics/${productDevice(1).id}`, `?start_date=${iso(4 * DAY)}`);
		const device = records.map((record) => record.payload.device);
		const states = new Set(device.map((d) => d.power.battery.state));
		expect(states.has('charging') && states.has('discharging')).toBe(true);
		expect(new Set(device.map((d) => d.network.signal.strength)).size).toBeGreaterThan(20);
		expect(new Set(device.map((d) => d.system.memory.used)).size).toBeGreaterThan(20);
		expect(disconnectProblems(records)).toEqual([]);
	});

	it('disconnects only rise until a reboot for any 4-day window: 200 clock values over a year, every online device', async () => {
		const loop = await startFakeCloud(FLEET);
		try {
			const devices = [...loop.fleet.devices.values()].filter((device) => device.online);
			const problems: string[] = [];
			let endsJustAfterReboot = 0;
			for (let index = 0; index < 200; index++) {
				// Every 43.8 h plus 7 min more each time: all hours of the day, across a whole year.
				const now = Date.parse('2026-01-01T00:00:00Z') + index * ((365 * DAY) / 200 + 7 * 60_000);
				loop.setClock(now);
				for (const device of devices) {
					// The store's records are the ones the route sends; their payload is typed loosely there.
					// Up to now included (the end is exclusive), as the route answers without an end_date.
					const records = [...loop.fleet.vitals.history(device, now - 4 * DAY, now + 1, now)] as unknown as Vitals[];
					problems.push(...disconnectProblems(records).map((problem) => `${new Date(now).toISOString()} ${device.id}: ${problem}`));
					if (records.at(-1)!.payload.device.cloud.connection.disconnects === 0) endsJustAfterReboot++;
					// Now and then through the route too: dates checked against the pinned clock, the same records on the wire.
					if (index % 20 === 0 && device === devices[0]) {
						const path = `/v1/diagnostics/${device.id}?start_date=${new Date(now - 4 * DAY).toISOString()}`;
						// A fresh token: the seeded one expires as the clock moves on, like a real one.
						const wire = await call(loop, 'GET', path, { token: loop.issueToken({ kind: 'user' }) });
						expect(wire.text).toBe(JSON.stringify({ diagnostics: records }));
					}
				}
			}
			expect(problems).toEqual([]);
			// The windows include the case that made main red: a reboot shortly before the end, so the last count is 0.
			expect(endsJustAfterReboot).toBeGreaterThan(0);
		} finally {
			await loop.close();
		}
	});

	it('is the same for the same seed, computed again on every read', async () => {
		const device = sandboxDevice();
		const twin = await startFakeCloud(FLEET);
		try {
			const range = `?start_date=${iso(5 * HOUR)}&end_date=${iso(HOUR)}`;
			const ours = await history(`/v1/diagnostics/${device.id}`, range);
			const theirs = (await call(twin, 'GET', `/v1/diagnostics/${device.id}${range}`, { token: twin.tokens.user })).body;
			expect(theirs).toEqual({ diagnostics: ours });
		} finally {
			await twin.close();
		}
	});

	it('start_date is inclusive, end_date exclusive', async () => {
		const device = sandboxDevice();
		const hourMark = Math.floor(cloud.now() / HOUR) * HOUR;
		const range = (from: number, to: number) => `?start_date=${new Date(from).toISOString()}&end_date=${new Date(to).toISOString()}`;
		const records = await history(`/v1/diagnostics/${device.id}`, range(hourMark - 3 * HOUR, hourMark));
		expect(records.map((record) => record.updated_at)).toEqual([3, 2, 1].map((hours) => new Date(hourMark - hours * HOUR).toISOString()));
	});

	it('spaces records down to one second apart, no closer', () => {
		const device = sandboxDevice();
		cloud.setVitalsInterval(device.id, 1 / 60);
		try {
			expect([...cloud.fleet.vitals.history(device, cloud.now() - 10_000, cloud.now(), cloud.now())].length).toBeGreaterThanOrEqual(9);
			expect(() => cloud.setVitalsInterval(device.id, 0.5 / 60)).toThrow(/at least 1 second/);
		} finally {
			cloud.setVitalsInterval(device.id, 60);
		}
	});

	it.each([
		['a date only', () => `?start_date=${iso(2 * DAY).slice(0, 10)}`],
		['an offset', () => `?start_date=${encodeURIComponent(iso(3 * HOUR).replace('Z', '+00:00'))}`],
		['no offset (UTC)', () => `?start_date=${iso(3 * HOUR).slice(0, 19)}&end_date=${iso(0).slice(0, 19)}`],
	])('accepts ISO-8601 with %s', async (_name, query) => {
		expect((await call(cloud, 'GET', `/v1/diagnostics/${sandboxDevice().id}${query()}`, user())).status).toBe(200);
	});

	const ISO_ERROR = 'start_date and end_date must be ISO8601 formatted';
	it.each([
		['a word', () => 'start_date=yesterday', ISO_ERROR],
		['epoch milliseconds', () => 'end_date=1700000000000', ISO_ERROR],
		['a day that does not exist', () => 'start_date=2026-02-30', ISO_ERROR],
		['an hour that does not exist', () => 'start_date=2026-01-01T25:00:00Z', ISO_ERROR],
		['start after end', () => `start_date=${iso(HOUR)}&end_date=${iso(2 * HOUR)}`, 'start_date must be before end_date'],
		// The reference's own words, "than than" included.
		['a start 31 days back', () => `start_date=${iso(31 * DAY)}`, 'start_date must not be more than than 30 days ago'],
	])('refuses %s with 400 bad_request', async (_name, query, description) => {
		const response = await call(cloud, 'GET', `/v1/diagnostics/${sandboxDevice().id}?${query()}`, user());
		expect(response.status).toBe(400);
		expect(response.body).toEqual({ error: 'bad_request', description });
	});
});

describe('history as CSV', () => {
	it.each([
		['a cellular device', 1],
		['a Wi-Fi device (empty cellular cells)', 0],
	])('answers text/csv for Accept: text/csv, %s: deviceID, updated_at, then the documented fields in order', async (_name, product) => {
		const device = productDevice(product);
		const path = `/v1/products/${productOf(product)}/diagnostics/${device.id}?start_date=${iso(5 * HOUR)}`;
		const json = await history(path);
		const csv = await call(cloud, 'GET', path, { ...user(), headers: { accept: 'text/csv' } });
		expect(csv.status).toBe(200);
		expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const [header, ...rows] = csv.text.trimEnd().split('\n').map((line) => line.split(','));
		expect(header).toEqual(['deviceID', 'updated_at', ...DOCUMENTED_VITALS_PATHS]);
		expect(rows.every((row) => row.length === header.length)).toBe(true);
		expect(rows[0][header.indexOf('device.network.cellular.operator')] === '').toBe(product === 0);
		expect(rows).toHaveLength(json.length);
		const cell = (row: string[], column: string) => row[header.indexOf(column)];
		expect(rows[0].slice(0, 2)).toEqual([device.id, json[0].updated_at]);
		expect(Number(cell(rows[0], 'device.power.battery.charge'))).toBe(json[0].payload.device.power.battery.charge);
		expect(cell(rows.at(-1)!, 'device.power.battery.state')).toBe(json.at(-1)!.payload.device.power.battery.state);
	});

	it('streams a month of minute records (43,200 rows) in many chunks', async () => {
		const device = sandboxDevice();
		cloud.setVitalsInterval(device.id, 1);
		try {
			const end = Math.floor(cloud.now() / 60_000) * 60_000;
			// end_date is exclusive: one minute on, so the record at `end` is the last.
			const range = `start_date=${new Date(end - 30 * DAY + 60_000).toISOString()}&end_date=${new Date(end + 60_000).toISOString()}`;
			const result = await streamedGet(cloud, `/v1/diagnostics/${device.id}?${range}`, { authorization: `Bearer ${cloud.tokens.user}`, accept: 'text/csv' });
			expect(result).toMatchObject({ status: 200, contentType: 'text/csv; charset=utf-8' });
			expect(result.lines).toBe(1 + 43_200);
			expect(result.chunks).toBeGreaterThan(10);
			expect(result.head).toMatch(new RegExp(`^deviceID,updated_at,device\\.[^\\n]+\\n${device.id},${new Date(end - 30 * DAY + 60_000).toISOString()},`));
		} finally {
			cloud.setVitalsInterval(device.id, 60);
		}
	});
});

describe('refresh, setVitals and metadata', () => {
	function recordEvents(): { events: FleetEvent[]; stop(): void } {
		const events: FleetEvent[] = [];
		const listener = (event: FleetEvent) => void events.push(event);
		cloud.fleet.events.on('event', listener);
		return { events, stop: () => cloud.fleet.events.off('event', listener) };
	}

	it('POST update: 202 { ok: true }, a new last record, and the diagnostics event carrying its payload', async () => {
		const device = productDevice(1);
		const recorder = recordEvents();
		const refreshed = await call(cloud, 'POST', `/v1/products/${productOf(1)}/diagnostics/${device.id}/update`, user());
		recorder.stop();
		expect(refreshed.status).toBe(202);
		expect(refreshed.body).toEqual({ ok: true });
		const { diagnostics } = (await call(cloud, 'GET', `/v1/products/${productOf(1)}/diagnostics/${device.id}/last`, user())).body as { diagnostics: Vitals };
		expect(recorder.events).toEqual([
			{ name: 'spark/device/diagnostics/update', data: JSON.stringify(diagnostics.payload), ttl: 60, published_at: diagnostics.updated_at, coreid: device.id, productID: productOf(1), version: device.firmware_version },
		]);
		expect(device.last_heard).toBe(diagnostics.updated_at);
	});

	it('POST update to an offline device is a 404 like other device calls, and emits nothing', async () => {
		const recorder = recordEvents();
		const response = await call(cloud, 'POST', `/v1/diagnostics/${sandboxDevice(false).id}/update`, user());
		recorder.stop();
		expect(response.status).toBe(404);
		expect(response.body).toEqual({ ok: false, error: 'Device is not connected' });
		expect(recorder.events).toEqual([]);
	});

	it('setVitals deep-merges into the last vitals, appends a record to the history and updates last_heard', async () => {
		const device: FakeDevice = sandboxDevice();
		const before = (await call(cloud, 'GET', `/v1/diagnostics/${device.id}/last`, user())).body as { diagnostics: Vitals };
		cloud.setVitals(device.id, { device: { power: { battery: { charge: 12.5 } } }, extra: { note: 'a,b' } });
		const after = (await call(cloud, 'GET', `/v1/diagnostics/${device.id}/last`, user())).body as { diagnostics: Vitals & { payload: { extra: unknown } } };
		expect(after.diagnostics.payload.device.power.battery).toEqual({ charge: 12.5, state: before.diagnostics.payload.device.power.battery.state });
		expect(after.diagnostics.payload.device.network).toEqual(before.diagnostics.payload.device.network);
		expect(after.diagnostics.payload.extra).toEqual({ note: 'a,b' });
		expect(device.last_heard).toBe(after.diagnostics.updated_at);
		const records = await history(`/v1/diagnostics/${device.id}`, `?start_date=${iso(2 * HOUR)}`);
		expect(records.at(-1)).toEqual(after.diagnostics);
		const csv = await call(cloud, 'GET', `/v1/diagnostics/${device.id}?start_date=${iso(2 * HOUR)}`, { ...user(), headers: { accept: 'text/csv' } });
		expect(csv.text.split('\n')[0]).toContain(',extra.note');
		expect(csv.text.trimEnd().split('\n').at(-1)).toContain(',"a,b"');
	});

	it('GET metadata (older reference only) describes the fields in its shape', async () => {
		const response = await call(cloud, 'GET', `/v1/diagnostics/${sandboxDevice().id}/metadata`, user());
		const metadata = prop(response, 'diagnostics_metadata') as { device: { power: { battery: { charge: object; state: object } }; system: { memory: { used: object } } } };
		const messages = { description: expect.any(String), healthy: expect.any(String), warning: expect.any(String) };
		expect(metadata.device.power.battery.charge).toEqual({ title: expect.any(String), type: 'number', priority: 1, units: { title: 'percent', convert: { type: 'round' } }, ranges: { type: 'below', warning: 20 }, messages });
		expect(metadata.device.power.battery.state).toMatchObject({ type: 'string', describes: 'device.power.battery.charge', values: { healthy: ['charging', 'charged', 'discharging'] } });
		expect(metadata.device.system.memory.used).toMatchObject({ units: { title: 'kB', convert: { type: 'divide', by: 1024 } }, ranges: { type: 'ratio_above', ratio: 0.9 } });
	});
});

describe('who may read vitals', () => {
	const lastOf = (token: string, path: string) => call(cloud, 'GET', `${path}/last`, { token }).then((response) => response.status);

	it('API users need the diagnostics scopes, within their product', async () => {
		const product = productOf(0);
		const device = productDevice(0).id;
		const base = `/v1/products/${product}/diagnostics/${device}`;
		const reader = cloud.issueToken({ kind: 'apiUser', productId: product, scopes: ['devices.diagnostics:get'] });
		expect(await lastOf(reader, base)).toBe(200);
		expect((await call(cloud, 'GET', `${base}?start_date=${iso(HOUR)}`, { token: reader })).status).toBe(200);
		// "If an API user attempts to perform an action that it is not permitted to, a standard 400 unauthorized error is returned."
		const refused = await call(cloud, 'POST', `${base}/update`, { token: reader });
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual({ error: 'unauthorized', error_description: 'This endpoint requires the devices.diagnostics:update scope' });
		expect((await call(cloud, 'GET', `${base}/metadata`, { token: reader })).status).toBe(400);
		expect(await lastOf(cloud.tokens.apiUser, base)).toBe(400);

		const all = cloud.issueToken({ kind: 'apiUser', productId: product, scopes: ['devices.diagnostics:update', 'devices.diagnostics.metadata:get'] });
		expect((await call(cloud, 'POST', `${base}/update`, { token: all })).status).toBe(202);
		expect((await call(cloud, 'GET', `${base}/metadata`, { token: all })).status).toBe(200);
		expect(await lastOf(reader, `/v1/products/${productOf(1)}/diagnostics/${productDevice(1).id}`)).toBe(400);
		expect((await call(cloud, 'GET', `/v1/diagnostics/${sandboxDevice().id}/last`, { token: reader })).body).toMatchObject({ error: 'unauthorized' });
	});

	it('customers read their own devices through /v1/diagnostics only; product tokens their product', async () => {
		const [own, other] = cloud.fleet.productDevices(productOf(0));
		expect(own.owner).toBe(cloud.fleet.products[0].customers[0].username);
		expect(await lastOf(cloud.tokens.customer, `/v1/diagnostics/${own.id}`)).toBe(200);
		expect(await lastOf(cloud.tokens.customer, `/v1/diagnostics/${other.id}`)).toBe(403);
		expect(await lastOf(cloud.tokens.customer, `/v1/products/${productOf(0)}/diagnostics/${own.id}`)).toBe(403);
		const productToken = cloud.issueToken({ kind: 'product', productId: productOf(0) });
		expect(await lastOf(productToken, `/v1/products/${productOf(0)}/diagnostics/${own.id}`)).toBe(200);
		expect(await lastOf(productToken, `/v1/diagnostics/${own.id}`)).toBe(403);
	});
});
