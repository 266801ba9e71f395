/** Direct HTTP tests of SIM cards: the user's and a product's, one SIM, data usage, fleet usage, access. */
import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';
import { call, prop } from './helpers';

// Pinned a little before midnight UTC: the days reported do not depend on when the tests run.
const PINNED = Date.parse('2026-03-14T23:59:59.000Z');

let cloud: FakeCloud;
beforeAll(async () => {
	// Product 10001 is Wi-Fi (Argon), 10002 Tracker, 10003 Boron; seed 1 gives the sandbox three cellular devices.
	cloud = await startFakeCloud({ devices: 6, products: 3, productDevices: 5, now: PINNED });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
const tracker = () => cloud.fleet.products[1];
const cellular = (devices: FakeDevice[]) => devices.filter((device) => device.iccid !== undefined);
const userSims = () => cellular(cloud.fleet.sandboxDevices());
const trackerSims = () => cellular(cloud.fleet.productDevices(tracker().id));
const simsPath = () => `/v1/products/${tracker().id}/sims`;

interface UsageDay {
	date: string;
	mbs_used: number;
	mbs_used_cumulative: number;
}

describe('seeded SIMs', () => {
	test('every cellular device has a 19-20 digit ICCID, Wi-Fi devices none', () => {
		const devices = [...cloud.fleet.devices.values()];
		for (const device of devices) expect(device.iccid === undefined).toBe(!device.cellular);
		expect(cellular(devices).every((device) => /^\d{19,20}$/.test(device.iccid!))).toBe(true);
		expect(new Set(cellular(devices).map((device) => device.iccid)).size).toBe(cellular(devices).length);
		expect(userSims().length).toBeGreaterThan(0);
	});
});

describe('the user’s SIMs', () => {
	test('GET /v1/sims: { sims } of the sandbox cellular devices, with _id and iccid and the §9 fields', async () => {
		const response = await call(cloud, 'GET', '/v1/sims', user());
		expect(Object.keys(response.body as object)).toEqual(['sims']);
		const sims = prop(response, 'sims') as Array<Record<string, unknown>>;
		expect(sims.map((sim) => sim.iccid)).toEqual(userSims().map((device) => device.iccid));
		const [device] = userSims();
		expect(sims[0]).toEqual({
			_id: device.iccid,
			iccid: device.iccid,
			status: 'active',
			activations_count: 1,
			deactivations_count: 0,
			base_country_code: 'US',
			base_monthly_rate: expect.any(Number),
			overage_monthly_rate: expect.any(Number),
			first_activated_on: expect.any(String),
			last_activated_on: expect.any(String),
			activated_on: expect.any(String),
			last_activated_via: expect.any(String),
			last_status_change_action: 'activate',
			last_status_change_action_error: 'no',
			msisdn: expect.stringMatching(/^\d+$/),
			carrier: expect.any(String),
			last_device_id: device.id,
			last_device_name: device.name,
			device_id: device.id,
			device_name: device.name,
			user_id: cloud.fleet.user.id,
			updated_at: expect.any(String),
			stripe_plan_slug: expect.any(String),
			owner: 'operator@example.com',
		});
	});

	test('GET and HEAD one SIM; a product’s SIM or an unknown ICCID is not the user’s → 404', async () => {
		const [device] = userSims();
		expect(prop(await call(cloud, 'GET', `/v1/sims/${device.iccid}`, user()), 'iccid')).toBe(device.iccid);
		const head = await call(cloud, 'HEAD', `/v1/sims/${device.iccid}`, user());
		expect([head.status, head.text]).toEqual([204, '']);
		expect((await call(cloud, 'HEAD', '/v1/sims/89340765000000000000', user())).status).toBe(404);
		expect((await call(cloud, 'GET', `/v1/sims/${trackerSims()[0].iccid}`, user())).body).toEqual({ ok: false, error: 'SIM not found' });
	});

	test('data usage: each day of the current billing period so far, cumulative, the same on every read', async () => {
		// "Get SIM card data usage for the current billing period, broken out by day": the period is the service
		// agreement's, which the fake seeds to have started ten days before its clock.
		const period = await billingPeriod();
		expect(period).toEqual({ start: '2026-03-04', end: '2026-04-03', next: '2026-04-04' });
		const [device] = userSims();
		const response = await call(cloud, 'GET', `/v1/sims/${device.iccid}/data_usage`, user());
		const usage = response.body as { iccid: string; usage_by_day: UsageDay[] };
		expect(Object.keys(usage)).toEqual(['iccid', 'usage_by_day']);
		expect(usage.iccid).toBe(device.iccid);
		expect(usage.usage_by_day.map((day) => day.date)).toEqual(daysFrom('2026-03-04', '2026-03-14'));
		let total = 0;
		for (const day of usage.usage_by_day) {
			total += day.mbs_used;
			expect(day.mbs_used_cumulative).toBeCloseTo(total, 5);
			expect(day.mbs_used).toBeGreaterThanOrEqual(0);
		}
		expect((await call(cloud, 'GET', `/v1/sims/${device.iccid}/data_usage`, user())).body).toEqual(usage);
		// The days follow the fake's clock: a second later it is the next day, in the same period.
		cloud.advanceClock(1000);
		const next = (await call(cloud, 'GET', `/v1/sims/${device.iccid}/data_usage`, user())).body as { usage_by_day: UsageDay[] };
		expect(next.usage_by_day).toEqual([...usage.usage_by_day, expect.objectContaining({ date: '2026-03-15' })]);
	});

	test('a new billing period starts the usage over, on the day the agreement says', async () => {
		const [device] = userSims();
		const before = cloud.now();
		cloud.setClock(Date.parse('2026-04-04T08:00:00.000Z'));
		try {
			expect(await billingPeriod()).toEqual({ start: '2026-04-04', end: '2026-05-03', next: '2026-05-04' });
			const usage = (await call(cloud, 'GET', `/v1/sims/${device.iccid}/data_usage`, user())).body as { usage_by_day: UsageDay[] };
			expect(usage.usage_by_day).toHaveLength(1);
			expect(usage.usage_by_day[0]).toEqual({ date: '2026-04-04', mbs_used: expect.any(Number), mbs_used_cumulative: usage.usage_by_day[0].mbs_used });
		} finally {
			cloud.setClock(before);
		}
	});
});

/** The user's service agreement's current billing period, as its attributes say. */
async function billingPeriod(): Promise<{ start: unknown; end: unknown; next: unknown }> {
	const [agreement] = prop(await call(cloud, 'GET', '/v1/user/service_agreements', user()), 'data') as Array<{ attributes: Record<string, unknown> }>;
	const { current_billing_period_start: start, current_billing_period_end: end, next_billing_period_start: next } = agreement.attributes;
	return { start, end, next };
}

/** `YYYY-MM-DD` from `first` to `last`, both included. */
function daysFrom(first: string, last: string): string[] {
	const days: string[] = [];
	for (let at = Date.parse(`${first}T00:00:00Z`); at <= Date.parse(`${last}T00:00:00Z`); at += 86_400_000) days.push(new Date(at).toISOString().slice(0, 10));
	return days;
}

describe('a product’s SIMs', () => {
	test('paged list with meta (25 by default), by id or slug', async () => {
		const all = await call(cloud, 'GET', simsPath(), user());
		expect(prop(all, 'meta')).toEqual({ page: 1, per_page: 25, total_pages: 1, total: trackerSims().length });
		expect((prop(all, 'sims') as Array<{ iccid: string; product_id: number }>).map((sim) => [sim.iccid, sim.product_id])).toEqual(
			trackerSims().map((device) => [device.iccid, tracker().id]),
		);
		const page = await call(cloud, 'GET', `/v1/products/${tracker().slug}/sims?per_page=2&page=3`, user());
		expect(page.body).toEqual({ sims: [expect.objectContaining({ iccid: trackerSims()[4].iccid })], meta: { page: 3, per_page: 2, total_pages: 3, total: 5 } });
		// The reference's name for the page size is perPage; particle-api-js sends per_page: the same page either way.
		expect((await call(cloud, 'GET', `/v1/products/${tracker().slug}/sims?perPage=2&page=3`, user())).body).toEqual(page.body);
		expect((await call(cloud, 'GET', `${simsPath()}?per_page=x`, user())).status).toBe(400);
		expect(prop(await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[0].id}/sims`, user()), 'sims')).toEqual([]);
	});

	test.each([
		['iccid', (device: FakeDevice) => device.iccid!.slice(-7)],
		['deviceId', (device: FakeDevice) => device.id.slice(4, 14).toUpperCase()],
		['deviceName', (device: FakeDevice) => device.name.slice(-9)],
	])('filters by part of %s', async (key, part) => {
		const target = trackerSims()[2];
		const response = await call(cloud, 'GET', `${simsPath()}?${key}=${encodeURIComponent(part(target))}`, user());
		expect((prop(response, 'sims') as Array<{ iccid: string }>).map((sim) => sim.iccid)).toEqual([target.iccid]);
	});

	test('one SIM and its usage through the product; fleet usage sums them', async () => {
		const sims = trackerSims();
		expect(prop(await call(cloud, 'GET', `${simsPath()}/${sims[0].iccid}`, user()), '_id')).toBe(sims[0].iccid);
		expect((await call(cloud, 'GET', `${simsPath()}/${userSims()[0].iccid}`, user())).status).toBe(404);
		let total = 0;
		for (const sim of sims) {
			const usage = (await call(cloud, 'GET', `${simsPath()}/${sim.iccid}/data_usage`, user())).body as { usage_by_day: UsageDay[] };
			total += usage.usage_by_day.at(-1)!.mbs_used_cumulative;
		}
		const fleet = await call(cloud, 'GET', `${simsPath()}/data_usage`, user());
		expect(fleet.body).toEqual({
			total_mbs_used: expect.any(Number),
			total_active_sim_cards: 5,
			usage_by_day: expect.arrayContaining([{ date: expect.any(String), mbs_used: expect.any(Number), mbs_used_cumulative: expect.any(Number) }]),
			quota: expect.any(Number),
			used: expect.any(Number),
		});
		expect(prop(fleet, 'total_mbs_used')).toBeCloseTo(total, 1);
		expect(prop(fleet, 'used')).toBe(prop(fleet, 'total_mbs_used'));
		// The product's owner (the user) bills from the 4th: the fleet's days are the same as each SIM's.
		expect((prop(fleet, 'usage_by_day') as UsageDay[]).map((day) => day.date)).toEqual(daysFrom('2026-03-04', '2026-03-15'));
	});
});

describe('who may see SIMs', () => {
	test('API users need sims:list, sims:get and sims.usage:get in their product; none on /v1/sims', async () => {
		const [sim] = trackerSims();
		const lister = cloud.issueToken({ kind: 'apiUser', productId: tracker().id, scopes: ['sims:list', 'sims:get'] });
		expect((await call(cloud, 'GET', simsPath(), { token: lister })).status).toBe(200);
		expect((await call(cloud, 'GET', `${simsPath()}/${sim.iccid}`, { token: lister })).status).toBe(200);
		for (const path of [`${simsPath()}/${sim.iccid}/data_usage`, `${simsPath()}/data_usage`]) {
			expect(await call(cloud, 'GET', path, { token: lister })).toMatchObject({ status: 400, body: { error: 'unauthorized', error_description: 'This endpoint requires the sims.usage:get scope' } });
		}
		expect((await call(cloud, 'GET', simsPath(), { token: cloud.tokens.apiUser })).status).toBe(400);
		expect(prop(await call(cloud, 'GET', '/v1/sims', { token: lister }), 'error')).toBe('unauthorized');
	});

	test('customers see no SIMs; a product token sees its product’s only', async () => {
		expect((await call(cloud, 'GET', '/v1/sims', { token: cloud.tokens.customer })).status).toBe(403);
		expect((await call(cloud, 'GET', simsPath(), { token: cloud.tokens.customer })).status).toBe(403);
		const productToken = cloud.issueToken({ kind: 'product', productId: tracker().id });
		expect((await call(cloud, 'GET', `${simsPath()}/data_usage`, { token: productToken })).status).toBe(200);
		expect((await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[2].id}/sims`, { token: productToken })).status).toBe(403);
		expect((await call(cloud, 'HEAD', `/v1/sims/${userSims()[0].iccid}`, { token: productToken })).status).toBe(403);
	});
});
