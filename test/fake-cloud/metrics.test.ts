/**
 * Direct HTTP tests of Fleet Health: buckets over a range, counted from the fake's devices, events, integration logs
 * and function calls (variables seeded), filters, the documented defaults and limits, scopes.
 */
import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';
import { call, prop } from './helpers';

const PINNED = Date.parse('2026-03-14T12:00:00.000Z');
const HOUR = 3_600_000;
let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 2, products: 3, productDevices: 8, now: PINNED });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
const product = () => cloud.fleet.products[2];
const devices = () => cloud.fleet.productDevices(product().id);
const iso = (at: number) => new Date(at).toISOString();
type Bucket = Record<string, unknown> & { time: string };

async function metric(name: string, query: string): Promise<Bucket[]> {
	const key = name === 'integration' ? 'integrations' : name;
	const response = await call(cloud, 'GET', `/v1/products/${product().id}/metrics/${name}?${query}`, user());
	expect([name, response.status]).toEqual([name, 200]);
	expect(Object.keys(response.body as object)).toEqual([key]);
	return prop(response, key) as Bucket[];
}

const range = (from: number, to: number, bucket: number) => `start_date=${iso(from)}&end_date=${iso(to)}&bucket_size=${bucket}`;

test('online: hourly buckets starting on the hour; the count follows the devices’ sessions', async () => {
	const buckets = await metric('online', range(PINNED - 3 * HOUR + 60_000, PINNED, 3600));
	expect(buckets.map((bucket) => bucket.time)).toEqual([iso(PINNED - 3 * HOUR), iso(PINNED - 2 * HOUR), iso(PINNED - HOUR), iso(PINNED)]);
	const onlineNow = devices().filter((device) => device.online).length;
	expect(buckets.at(-1)).toEqual({ time: iso(PINNED), count: onlineNow });

	const device = devices().find((candidate) => candidate.online) as FakeDevice;
	cloud.setOnline(device.id, false);
	const after = await metric('online', range(PINNED - HOUR, PINNED, 3600));
	// Offline now: still counted in the hour it was last heard in, no longer in the current one.
	expect(after).toEqual([
		{ time: iso(PINNED - HOUR), count: buckets[2].count },
		{ time: iso(PINNED), count: onlineNow - 1 },
	]);
	cloud.setOnline(device.id, true);
});

test('events: what the product’s devices published, per bucket; API publishes are not device events', async () => {
	const [first, second] = devices();
	const publish = (coreid: string, at: number) =>
		cloud.fleet.publish({ name: 'reading', data: '1', ttl: 60, published_at: iso(at), coreid, productID: product().id });
	publish(first.id, PINNED - 90 * 60_000);
	publish(second.id, PINNED - 30 * 60_000);
	publish(second.id, PINNED - 20 * 60_000);
	publish('api', PINNED - 20 * 60_000);
	const buckets = await metric('events', range(PINNED - 2 * HOUR, PINNED - 1, 3600));
	expect(buckets).toEqual([
		{ time: iso(PINNED - 2 * HOUR), received: 1 },
		{ time: iso(PINNED - HOUR), received: 2 },
	]);
	// Filters: the device group, the product firmware, the Device OS version.
	const group = second.groups[0];
	const inGroup = await metric('events', `${range(PINNED - 2 * HOUR, PINNED - 1, 7200)}&device_group=${group}`);
	const expected = [first, second, second].filter((device) => device.groups.includes(group)).length;
	expect(inGroup).toEqual([{ time: iso(PINNED - 2 * HOUR), received: expected }]);
	const none = await metric('events', `${range(PINNED - 2 * HOUR, PINNED - 1, 7200)}&product_fw=999&device_os_version=${second.system_firmware_version}`);
	expect(none).toEqual([{ time: iso(PINNED - 2 * HOUR), received: 0 }]);
});

test('functions: successful calls the devices executed; zero counts are omitted', async () => {
	const device = devices().find((candidate) => candidate.online) as FakeDevice;
	device.calls.push({ name: 'setColor', arg: '1,2,3', return_value: 1, at: iso(PINNED - 10 * 60_000) });
	const buckets = await metric('functions', range(PINNED - 2 * HOUR, PINNED - 1, 3600));
	expect(buckets).toEqual([{ time: iso(PINNED - 2 * HOUR) }, { time: iso(PINNED - HOUR), success: 1 }]);
});

test('integrations: none for a product without webhooks; variables: seeded, the same on every read', async () => {
	expect(await metric('integration', range(PINNED - HOUR, PINNED - 1, 3600))).toEqual([{ time: iso(PINNED - HOUR) }]);
	const first = await metric('variables', range(PINNED - 5 * HOUR, PINNED, 3600));
	expect(first).toHaveLength(6);
	expect(await metric('variables', range(PINNED - 5 * HOUR, PINNED, 3600))).toEqual(first);
	for (const bucket of first) for (const key of Object.keys(bucket)) expect(['time', 'success', 'failure', 'offline']).toContain(key);
});

test('defaults and limits: no dates is the current bucket; bucket_size must be more than 15; start after end; bad dates', async () => {
	expect(await metric('online', '')).toEqual([{ time: iso(Math.floor(PINNED / 900_000) * 900_000), count: expect.any(Number) }]);
	const path = `/v1/products/${product().id}/metrics/online`;
	for (const query of ['bucket_size=15', 'bucket_size=abc', `start_date=${iso(PINNED)}&end_date=${iso(PINNED - HOUR)}`, 'start_date=yesterday', `start_date=${iso(PINNED - 400 * 86_400_000)}&bucket_size=16`]) {
		expect([query, (await call(cloud, 'GET', `${path}?${query}`, user())).status]).toEqual([query, 400]);
	}
	expect((await call(cloud, 'GET', `${path}?bucket_size=16`, user())).status).toBe(200);
});

test('scopes: each metric its own (metrics.online:get, ...); another product is refused', async () => {
	const token = cloud.issueToken({ kind: 'apiUser', productId: product().id, scopes: ['metrics.online:get'] });
	expect((await call(cloud, 'GET', `/v1/products/${product().id}/metrics/online`, { token })).status).toBe(200);
	const refused = await call(cloud, 'GET', `/v1/products/${product().id}/metrics/events`, { token });
	expect(refused.body).toEqual({ error: 'unauthorized', error_description: 'This endpoint requires the metrics.events:get scope' });
	expect((await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[1].id}/metrics/online`, { token })).status).toBe(400);
});
