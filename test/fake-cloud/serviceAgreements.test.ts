/** Direct HTTP tests of service agreements, usage reports (pending → available → download) and notifications. */
import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call, prop } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 3, products: 2, productDevices: 2 });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
const org = () => cloud.fleet.organizations[0];
const REPORT = { report_type: 'devices', date_period_start: '2026-01-01', date_period_end: '2026-01-31' };

interface Report {
	id: string;
	type: string;
	attributes: { state: string; download_url: string | null; expires_at: string | null; report_params: Record<string, unknown> };
}

const createReport = (base: string, agreement: string, json: unknown = REPORT) => call(cloud, 'POST', `${base}/service_agreements/${agreement}/usage_reports`, { ...user(), json });
const readReport = async (base: string, id: string) => prop(await call(cloud, 'GET', `${base}/usage_reports/${id}`, user()), 'data') as Report;

describe('service agreements', () => {
	test('the user’s sandbox agreement and the organization’s, by id or slug', async () => {
		const mine = await call(cloud, 'GET', '/v1/user/service_agreements', user());
		expect(mine.body).toEqual({ data: [{ id: '1001', type: 'service_agreement', attributes: expect.any(Object) }] });
		const [{ attributes }] = prop(mine, 'data') as Array<{ attributes: Record<string, unknown> }>;
		expect(attributes).toMatchObject({
			owner_type: 'User',
			agreement_type: expect.any(String),
			state: 'active',
			starts_on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
			current_billing_period_start: expect.any(String),
			current_billing_period_end: expect.any(String),
			current_usage_summary: { device_limit_reached: false, connectivity: { all: expect.objectContaining({ owned_devices: expect.any(Number) }) } },
			pricing_terms: { device: expect.objectContaining({ max_devices: expect.any(Number) }), messaging: expect.any(Object) },
		});
		const theirs = await call(cloud, 'GET', '/v1/orgs/acme-iot/service_agreements', user());
		expect(theirs.body).toEqual({ data: [expect.objectContaining({ id: '2001', attributes: expect.objectContaining({ owner_type: 'Organization', owner_id: org().id }) })] });
		expect((await call(cloud, 'GET', `/v1/orgs/${org().id}/service_agreements`, user())).body).toEqual(theirs.body);
	});

	test('notifications of an agreement; an unknown or someone else’s agreement → 404', async () => {
		const notifications = await call(cloud, 'GET', '/v1/user/service_agreements/1001/notifications', user());
		expect(notifications.body).toEqual({
			data: [{ id: expect.any(String), type: 'notification', attributes: expect.objectContaining({ resource_id: '1001', resource_type: 'ServiceAgreement', event_name: expect.any(String) }) }],
		});
		expect((await call(cloud, 'GET', '/v1/orgs/acme-iot/service_agreements/2001/notifications', user())).status).toBe(200);
		expect((await call(cloud, 'GET', '/v1/user/service_agreements/2001/notifications', user())).status).toBe(404);
		expect((await call(cloud, 'GET', '/v1/user/service_agreements/9999/notifications', user())).status).toBe(404);
	});
});

describe('usage reports', () => {
	test('202 pending, then available with a download link on the fake itself that serves a CSV', async () => {
		const device = cloud.fleet.sandboxDevices()[0];
		const created = await createReport('/v1/user', '1001', { ...REPORT, devices: [device.id] });
		expect(created.status).toBe(202);
		expect(created.body).toEqual({
			data: {
				id: expect.stringMatching(/^\d+$/),
				type: 'usage_report',
				attributes: {
					state: 'pending',
					service_agreement_id: 1001,
					date_period_start: '2026-01-01',
					date_period_end: '2026-01-31',
					created_at: expect.any(String),
					expires_at: null,
					report_type: 'devices',
					report_params: { devices: [device.id], products: [], recipient_list: ['operator@example.com'] },
					download_url: null,
				},
			},
		});
		const { id } = prop(created, 'data') as Report;
		const report = await readReport('/v1/user', id);
		expect(report.attributes).toMatchObject({ state: 'available', download_url: `${cloud.url}/fake-downloads/${id}.csv`, expires_at: expect.any(String) });

		// A pre-signed link needs no token.
		const download = await fetch(report.attributes.download_url!);
		expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect((await download.text()).split('\n')).toEqual([
			'date_period_start,date_period_end,device_id,device_name,data_operations,data_mb',
			expect.stringMatching(new RegExp(`^2026-01-01,2026-01-31,${device.id},${device.name},\\d+,\\d+\\.\\d\\d$`)),
			'',
		]);
	});

	test('a products report of an organization covers its products; the organization’s reports are its own', async () => {
		const created = await createReport('/v1/orgs/acme-iot', '2001', { ...REPORT, report_type: 'products' });
		const { id } = prop(created, 'data') as Report;
		const report = await readReport(`/v1/orgs/${org().id}`, id);
		const csv = await (await fetch(report.attributes.download_url!)).text();
		expect(csv.split('\n').slice(0, 2)).toEqual([
			'date_period_start,date_period_end,product_id,product_name,data_operations,data_mb',
			expect.stringMatching(/^2026-01-01,2026-01-31,10001,Environment Monitor,\d+,[\d.]+$/),
		]);
		expect(csv.trimEnd().split('\n')).toHaveLength(2);
		expect((await call(cloud, 'GET', `/v1/user/usage_reports/${id}`, user())).status).toBe(404);
		expect((await call(cloud, 'GET', '/v1/orgs/acme-iot/usage_reports/424242', user())).status).toBe(404);
	});

	test('with a delay the report stays pending (and its link absent) until the delay has passed', async () => {
		// On the fake's clock, pinned: a slow machine cannot let the delay pass before the first read.
		cloud.setClock(cloud.now());
		cloud.setUsageReportDelay(150);
		try {
			const { id } = prop(await createReport('/v1/user', '1001'), 'data') as Report;
			expect((await readReport('/v1/user', id)).attributes).toMatchObject({ state: 'pending', download_url: null });
			expect((await fetch(`${cloud.url}/fake-downloads/${id}.csv`)).status).toBe(404);
			cloud.advanceClock(149);
			expect((await readReport('/v1/user', id)).attributes.state).toBe('pending');
			cloud.advanceClock(1);
			expect((await readReport('/v1/user', id)).attributes.state).toBe('available');
		} finally {
			cloud.setUsageReportDelay(0);
			cloud.setClock(() => Date.now());
		}
	});

	test.each([
		['an unknown report type', { ...REPORT, report_type: 'sims' }, 'report_type must be devices or products'],
		['no start', { ...REPORT, date_period_start: undefined }, 'date_period_start must be a YYYY-MM-DD date'],
		['a day that does not exist', { ...REPORT, date_period_end: '2026-02-30' }, 'date_period_end must be a YYYY-MM-DD date'],
		['a date-time', { ...REPORT, date_period_start: '2026-01-01T00:00:00Z' }, 'date_period_start must be a YYYY-MM-DD date'],
		['start after end', { ...REPORT, date_period_start: '2026-02-01' }, 'date_period_start must not be after date_period_end'],
		['devices that are not a list', { ...REPORT, devices: 'abc' }, 'devices must be a list of ids'],
	])('%s → 400', async (_name, json, error) => {
		const response = await createReport('/v1/user', '1001', json);
		expect(response.status).toBe(400);
		expect(response.body).toEqual({ ok: false, error });
	});

	test('an unknown agreement → 404 before the body is looked at', async () => {
		expect((await createReport('/v1/user', '2001')).status).toBe(404);
		expect((await createReport('/v1/orgs/acme-iot', '9999', {})).status).toBe(404);
		expect((await createReport('/v1/orgs/no-such-org', '2001')).status).toBe(404);
	});
});

describe('who may see agreements', () => {
	test('users only on /v1/user; organization API users with the scopes on their organization', async () => {
		expect((await call(cloud, 'GET', '/v1/user/service_agreements', { token: cloud.tokens.customer })).status).toBe(403);
		expect((await call(cloud, 'GET', '/v1/user/service_agreements', { token: cloud.issueToken({ kind: 'product' }) })).status).toBe(403);
		expect(prop(await call(cloud, 'GET', '/v1/user/service_agreements', { token: cloud.tokens.apiUser }), 'error')).toBe('unauthorized');

		const productUser = cloud.issueToken({ kind: 'apiUser', scopes: ['service_agreements:list'] });
		expect((await call(cloud, 'GET', '/v1/orgs/acme-iot/service_agreements', { token: productUser })).status).toBe(400);
		const token = cloud.issueToken({ kind: 'apiUser', org: 'acme-iot', scopes: ['service_agreements:list'] });
		expect((await call(cloud, 'GET', '/v1/orgs/acme-iot/service_agreements', { token })).status).toBe(200);
		const refused = await call(cloud, 'POST', '/v1/orgs/acme-iot/service_agreements/2001/usage_reports', { token, json: REPORT });
		expect(refused).toMatchObject({ status: 400, body: { error: 'unauthorized' } });
	});
});
