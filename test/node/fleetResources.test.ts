/** Product, Organization, Service Agreement, API User and SIM, through n8n's engine against the fake cloud. */
import { apiCalls, apiUserToken, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, products: 2, productDevices: 30 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => cloud().productClient.productId;
const product = () => rl('id', String(productId()));
const org = () => cloud().fleet.organizations[0];
const bearer = () => `Bearer ${cloud().tokens.user}`;

describe('Product', () => {
	it('lists, gets, and lists the team', async () => {
		const list = await runNode({ parameters: { resource: 'product', operation: 'getAll' }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'GET', path: '/v1/products', authorization: bearer() });
		expect(list.items.map((item) => item.json.id)).toEqual(cloud().fleet.products.map((candidate) => candidate.id));

		cloud().clearRequests();
		const one = await runNode({ parameters: { resource: 'product', operation: 'get', product: rl('id', cloud().productClient.productSlug) }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${cloud().productClient.productSlug}`);
		expect(one.items).toEqual([{ json: expect.objectContaining({ id: productId(), slug: cloud().productClient.productSlug }), pairedItem: { item: 0 } }]);

		cloud().clearRequests();
		const team = await runNode({ parameters: { resource: 'product', operation: 'getTeamMembers', product: product() }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${productId()}/team`);
		expect(team.items[0].json).toMatchObject({ username: cloud().fleet.user.username, role: { name: 'Administrator' } });
	});
});

describe('Organization', () => {
	it('lists organizations, their products and their team', async () => {
		const list = await runNode({ parameters: { resource: 'organization', operation: 'getAll' }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0].path).toBe('/v1/orgs');
		expect(list.items.map((item) => item.json.slug)).toEqual([org().slug]);

		cloud().clearRequests();
		const products = await runNode({
			parameters: { resource: 'organization', operation: 'getProducts', organization: rl('id', org().slug) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/orgs/${org().slug}/products`);
		expect(products.items.map((item) => item.json.id)).toEqual([productId()]);

		cloud().clearRequests();
		await runNode({ parameters: { resource: 'organization', operation: 'getTeamMembers', organization: rl('list', org().slug) }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0].path).toBe(`/v1/orgs/${org().slug}/team`);
	});
});

describe('Service Agreement', () => {
	it('lists agreements, creates a usage report, gets it, and lists notifications', async () => {
		const list = await runNode({ parameters: { resource: 'serviceAgreement', operation: 'getAll', owner: 'user' }, credentials: userToken(cloud()) });
		expect(apiCalls(cloud())[0].path).toBe('/v1/user/service_agreements');
		const agreementId = String(list.items[0].json.id);
		expect(list.items[0].json).toMatchObject({ type: 'service_agreement', attributes: expect.objectContaining({ state: 'active' }) });

		cloud().clearRequests();
		const device = cloud().fleet.sandboxDevices()[0].id;
		const created = await runNode({
			parameters: {
				resource: 'serviceAgreement',
				operation: 'createUsageReport',
				owner: 'user',
				agreementId,
				reportType: 'devices',
				periodStart: '2026-11-01',
				periodEnd: '2026-11-15',
				ids: ` ${device} `,
			},
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'POST',
			path: `/v1/user/service_agreements/${agreementId}/usage_reports`,
			body: { report_type: 'devices', date_period_start: '2026-11-01', date_period_end: '2026-11-15', devices: [device] },
		});
		expect(created.items[0].json).toMatchObject({ type: 'usage_report', attributes: expect.objectContaining({ state: 'pending' }) });

		cloud().clearRequests();
		const report = await runNode({
			parameters: { resource: 'serviceAgreement', operation: 'getUsageReport', owner: 'user', reportId: String(created.items[0].json.id) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/user/usage_reports/${String(created.items[0].json.id)}`);
		expect(report.items[0].json).toMatchObject({ attributes: expect.objectContaining({ state: 'available', download_url: expect.any(String) }) });

		const orgAgreements = await runNode({
			parameters: { resource: 'serviceAgreement', operation: 'getAll', owner: 'organization', organization: rl('id', org().slug) },
			credentials: userToken(cloud()),
		});
		const orgAgreement = String(orgAgreements.items[0].json.id);
		cloud().clearRequests();
		const notifications = await runNode({
			parameters: { resource: 'serviceAgreement', operation: 'getNotifications', owner: 'organization', organization: rl('id', org().slug), agreementId: orgAgreement },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/orgs/${org().slug}/service_agreements/${orgAgreement}/notifications`);
		expect(notifications.items[0].json).toMatchObject({ type: 'notification' });
	});

	it('refuses bad and reversed report dates before sending', async () => {
		const base = { resource: 'serviceAgreement', operation: 'createUsageReport', owner: 'user', agreementId: '1001', reportType: 'devices' };
		const result = await runNode({
			parameters: { ...base, periodStart: '={{ $json.from }}', periodEnd: '={{ $json.to }}' },
			credentials: userToken(cloud()),
			items: [{ from: '2026-11-31x', to: '2026-12-01' }, { from: '2026-11-20', to: '2026-11-01' }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error)).toEqual([
			'From must be a date as YYYY-MM-DD (got "2026-11-31x")',
			'From must not be after To',
		]);
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('API User', () => {
	it('creates an API user whose token works in its scopes, updates it (new token) and deletes it', async () => {
		const created = await runNode({
			parameters: { resource: 'apiUser', operation: 'create', owner: 'product', product: product(), friendlyName: 'Nightly export', scopes: ['devices:list'] },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'POST',
			path: `/v1/products/${productId()}/team`,
			body: { friendly_name: 'Nightly export', scopes: ['devices:list'] },
			authorization: bearer(),
		});
		const createdUser = created.items[0].json as { username: string; tokens: Array<{ token: string }> };
		expect(createdUser.username).toMatch(/@api\.particle\.io$/);
		const firstToken = createdUser.tokens[0].token;
		const listDevices = (token: string) =>
			fetch(`${cloud().url}/v1/products/${productId()}/devices`, { headers: { Authorization: `Bearer ${token}` } }).then((response) => response.status);
		expect(await listDevices(firstToken)).toBe(200);

		const listed = await runNode({ parameters: { resource: 'apiUser', operation: 'getAll', owner: 'product', product: product() }, credentials: userToken(cloud()) });
		expect(listed.items.map((item) => item.json.username)).toContain(createdUser.username);
		expect(listed.items.every((item) => item.json.is_programmatic === true)).toBe(true);

		cloud().clearRequests();
		const updated = await runNode({
			parameters: { resource: 'apiUser', operation: 'update', owner: 'product', product: product(), username: createdUser.username, scopes: ['devices:list', 'devices:get'] },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'PUT',
			path: `/v1/products/${productId()}/team/${encodeURIComponent(createdUser.username)}`,
			body: { scopes: ['devices:list', 'devices:get'] },
		});
		const secondToken = (updated.items[0].json as { tokens: Array<{ token: string }> }).tokens[0].token;
		expect(secondToken).not.toBe(firstToken);
		expect(await listDevices(firstToken)).toBe(401);
		expect(await listDevices(secondToken)).toBe(200);

		const deleted = await runNode({
			parameters: { resource: 'apiUser', operation: 'delete', owner: 'product', product: product(), username: createdUser.username },
			credentials: userToken(cloud()),
		});
		expect(deleted.items[0].json).toMatchObject({ username: createdUser.username, deleted: true });
		expect(await listDevices(secondToken)).toBe(401);
	});

	it('creates an organization API user', async () => {
		await runNode({
			parameters: { resource: 'apiUser', operation: 'create', owner: 'organization', organization: rl('id', org().slug), friendlyName: 'Org reader', scopes: ['products:list'] },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'POST', path: `/v1/orgs/${org().slug}/team` });
	});

	it('refuses a 65-character name and an empty scope list before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'apiUser', operation: 'create', owner: 'product', product: product(), friendlyName: '={{ $json.name }}', scopes: ['devices:list'] },
			credentials: userToken(cloud()),
			items: [{ name: 'n'.repeat(65) }],
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toBe('Friendly Name is 65 characters long; Particle allows at most 64');
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('SIM', () => {
	// The second product is cellular (Trackers); the first is Wi-Fi and has no SIMs.
	const simProduct = () => cloud().fleet.products[1].id;
	const cellularProductDevices = () => cloud().fleet.productDevices(simProduct()).filter((device) => device.iccid !== undefined);

	it('lists product SIMs across pages with filters, gets one and its data usage', async () => {
		const sims = cellularProductDevices();
		const all = await runNode({
			parameters: { resource: 'sim', operation: 'getAll', deviceScope: 'product', product: rl('id', String(simProduct())), returnAll: true },
			credentials: userToken(cloud()),
		});
		expect(all.items.length).toBe(sims.length);
		expect(apiCalls(cloud())[0]).toMatchObject({ path: `/v1/products/${simProduct()}/sims`, query: { page: '1', per_page: '100' } });

		cloud().clearRequests();
		const [target] = sims;
		await runNode({
			parameters: { resource: 'sim', operation: 'getAll', deviceScope: 'product', product: rl('id', String(simProduct())), returnAll: true, filters: { deviceName: String(target.name) } },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].query).toMatchObject({ deviceName: String(target.name) });

		cloud().clearRequests();
		const one = await runNode({
			parameters: { resource: 'sim', operation: 'get', deviceScope: 'product', product: rl('id', String(simProduct())), iccid: String(target.iccid) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${simProduct()}/sims/${String(target.iccid)}`);
		expect(one.items[0].json).toMatchObject({ iccid: target.iccid, device_id: target.id });

		const usage = await runNode({
			parameters: { resource: 'sim', operation: 'getDataUsage', deviceScope: 'product', product: rl('id', String(simProduct())), iccid: String(target.iccid), splitByDay: true },
			credentials: userToken(cloud()),
		});
		expect(usage.items).toHaveLength(7);
		expect(usage.items[0].json).toEqual({ iccid: target.iccid, date: expect.any(String), mbs_used: expect.any(Number), mbs_used_cumulative: expect.any(Number) });
	});

	it('refuses a malformed ICCID before sending', async () => {
		const result = await runNode({ parameters: { resource: 'sim', operation: 'get', iccid: '1234' }, credentials: userToken(cloud()) });
		expect(result.error?.message).toBe('ICCID must be 19 to 22 digits (got 4 characters)');
		expect(cloud().requests).toHaveLength(0);
	});

	it('says clearly when an API user lacks the scope', async () => {
		const result = await runNode({
			parameters: { resource: 'sim', operation: 'getAll', deviceScope: 'product', product: product(), returnAll: true },
			credentials: apiUserToken(cloud()),
		});
		expect(result.error?.httpCode).toBe('403');
		expect(result.error?.message).toBe('The Particle token is not allowed to do this: This endpoint requires the sims:list scope: insufficient_scope');
		expect(result.error?.description).toMatch(/add the missing scope/);
	});
});
