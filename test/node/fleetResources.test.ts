/**
 * Product, Organization, Service Agreement, API User and SIM, through n8n's engine against the fake cloud: the request
 * that reached the cloud (method, raw path, query, JSON body, bearer token), the items that came out (with their
 * pairing), checks made before sending, and API-user tokens that live, rotate and die.
 */
import type { IDataObject } from 'n8n-workflow';

import { apiCalls, apiUserToken, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

// 105 devices per product: the cellular product's SIM list takes two pages of 100.
const cloud = useFakeCloud({ devices: 4, products: 2, productDevices: 105 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const productId = () => cloud().productClient.productId;
const productSlug = () => cloud().productClient.productSlug;
const org = () => cloud().fleet.organizations[0];
/** The second product is cellular (Asset Tracker); the first one is Wi-Fi, has no SIMs, and belongs to the org. */
const simProduct = () => cloud().fleet.products[1].id;
const productSims = () => cloud().fleet.productDevices(simProduct()).filter((device) => device.iccid !== undefined);
const sandboxSims = () => cloud().fleet.sandboxDevices().filter((device) => device.iccid !== undefined);

interface ExpectedCall {
	method: string;
	path: string;
	query?: Record<string, string>;
	body?: unknown;
	/** Default: the user token. */
	token?: string;
}

/** Every request the run sent, as the cloud received it; a JSON body must come as JSON. */
function expectCalls(...expected: ExpectedCall[]): void {
	const calls = apiCalls(cloud());
	expect(
		calls.map(({ method, path, query, body, authorization }) => ({ method, path, query, body, authorization })),
	).toEqual(
		expected.map(({ token, ...call }) => ({
			query: {},
			body: undefined,
			...call,
			authorization: `Bearer ${token ?? cloud().tokens.user}`,
		})),
	);
	for (const call of calls) {
		if (call.body !== undefined) expect(call.contentType).toMatch(/^application\/json/);
	}
}

/** Items as n8n outputs them: each JSON paired with input item `item`. */
const paired = (jsons: unknown[], item = 0) => jsons.map((json) => ({ json, pairedItem: { item } }));

/** What the fake answers to a direct call; for comparing the node's output with Particle's own data. */
async function direct(method: string, path: string, token = cloud().tokens.user): Promise<{ status: number; body: IDataObject }> {
	const response = await fetch(`${cloud().url}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
	const text = await response.text();
	return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as IDataObject) };
}

describe('Product', () => {
	it('Get Many: one item per product', async () => {
		const result = await runNode({ parameters: { resource: 'product', operation: 'getAll' }, credentials: user() });
		expectCalls({ method: 'GET', path: '/v1/products' });
		const { body } = await direct('GET', '/v1/products');
		expect(result.items).toEqual(paired(body.products as IDataObject[]));
		expect(result.items).toHaveLength(2);
	});

	it('Get: the product object, by slug or ID, for each input item', async () => {
		const result = await runNode({
			parameters: { resource: 'product', operation: 'get', product: rl('id', '={{ $json.product }}') },
			credentials: user(),
			items: [{ product: productSlug() }, { product: String(productId()) }],
		});
		expectCalls(
			{ method: 'GET', path: `/v1/products/${productSlug()}` },
			{ method: 'GET', path: `/v1/products/${productId()}` },
		);
		const { body } = await direct('GET', `/v1/products/${productId()}`);
		expect(result.items).toEqual([...paired([body.product], 0), ...paired([body.product], 1)]);
		expect(result.items[0].json).toMatchObject({ id: productId(), slug: productSlug() });
	});

	it('Get Team Members: one item per member, people and API users', async () => {
		const result = await runNode({
			parameters: { resource: 'product', operation: 'getTeamMembers', product: rl('list', String(productId())) },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/products/${productId()}/team` });
		const { body } = await direct('GET', `/v1/products/${productId()}/team`);
		expect(result.items).toEqual(paired(body.team as IDataObject[]));
		expect(result.items[0].json).toEqual({
			username: cloud().fleet.user.username,
			role: { id: expect.any(String), name: 'Administrator' },
		});
	});

	it('refuses a product that is neither an ID nor a slug before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'product', operation: 'get', product: rl('id', '={{ $json.product }}') },
			credentials: user(),
			items: [{ product: '../orgs' }],
		});
		expect(result.error?.message).toBe('Product must be a product ID (a number) or a product slug such as "my-product-1234"');
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('Organization', () => {
	it('Get Many: one item per organization', async () => {
		const result = await runNode({ parameters: { resource: 'organization', operation: 'getAll' }, credentials: user() });
		expectCalls({ method: 'GET', path: '/v1/orgs' });
		expect(result.items).toEqual(paired([{ id: org().id, name: 'Acme IoT', slug: 'acme-iot' }]));
	});

	it('Get Products: the products of the organization, by slug or by ID', async () => {
		const result = await runNode({
			parameters: { resource: 'organization', operation: 'getProducts', organization: rl('id', '={{ $json.org }}') },
			credentials: user(),
			items: [{ org: org().slug }, { org: org().id }],
		});
		expectCalls(
			{ method: 'GET', path: `/v1/orgs/${org().slug}/products` },
			{ method: 'GET', path: `/v1/orgs/${org().id}/products` },
		);
		const { body } = await direct('GET', `/v1/products/${productId()}`);
		expect(result.items).toEqual([...paired([body.product], 0), ...paired([body.product], 1)]);
	});

	it('Get Team Members: the people and API users of the organization', async () => {
		const result = await runNode({
			parameters: { resource: 'organization', operation: 'getTeamMembers', organization: rl('list', org().slug) },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/orgs/${org().slug}/team` });
		const { body } = await direct('GET', `/v1/orgs/${org().slug}/team`);
		expect(result.items).toEqual(paired(body.team as IDataObject[]));
		expect(result.items[0].json).toMatchObject({ username: cloud().fleet.user.username, role: { name: 'Administrator' } });
	});

	it('refuses a malformed organization before sending; the other items go on', async () => {
		const result = await runNode({
			parameters: { resource: 'organization', operation: 'getProducts', organization: rl('id', '={{ $json.org }}') },
			credentials: user(),
			items: [{ org: 'acme iot/..' }, { org: org().slug }],
			continueOnFail: true,
		});
		expect(result.items[0]).toEqual({
			json: {
				error: 'Organization must be an organization ID or slug (got "acme iot/..")',
				description: 'Nothing was sent to Particle.',
			},
			pairedItem: { item: 0 },
		});
		expect(result.items.slice(1).map((item) => [item.pairedItem, item.json.id])).toEqual([[{ item: 1 }, productId()]]);
		expectCalls({ method: 'GET', path: `/v1/orgs/${org().slug}/products` });
	});

	it('an unknown organization is a clear 404', async () => {
		const result = await runNode({
			parameters: { resource: 'organization', operation: 'getTeamMembers', organization: rl('id', 'no-such-org') },
			credentials: user(),
		});
		expect(result.error?.httpCode).toBe('404');
		expect(result.error?.message).toMatch(/^Particle could not find the organization "no-such-org"/);
	});
});

describe('Service Agreement', () => {
	const base = { resource: 'serviceAgreement' };
	const accountDeviceReport = { ...base, operation: 'createUsageReport', owner: 'user', agreementId: '1001', reportType: 'devices' };

	it('Get Many: the agreements of the account, or of an organization', async () => {
		const mine = await runNode({ parameters: { ...base, operation: 'getAll', owner: 'user' }, credentials: user() });
		expectCalls({ method: 'GET', path: '/v1/user/service_agreements' });
		const { body } = await direct('GET', '/v1/user/service_agreements');
		expect(mine.items).toEqual(paired(body.data as IDataObject[]));
		expect(mine.items[0].json).toMatchObject({ id: '1001', type: 'service_agreement', attributes: { state: 'active' } });

		cloud().clearRequests();
		const theirs = await runNode({
			parameters: { ...base, operation: 'getAll', owner: 'organization', organization: rl('id', org().slug) },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/orgs/${org().slug}/service_agreements` });
		expect(theirs.items).toEqual(paired([expect.objectContaining({ id: '2001', attributes: expect.objectContaining({ owner_type: 'Organization' }) })]));
	});

	it('Create Usage Report (devices) then Get Usage Report, for the account', async () => {
		const [first, second] = cloud().fleet.sandboxDevices();
		const created = await runNode({
			parameters: {
				...accountDeviceReport,
				periodStart: '2026-11-01',
				periodEnd: '2026-11-15',
				deviceIds: ` ${first.id}, ${second.id} ,`,
			},
			credentials: user(),
		});
		expectCalls({
			method: 'POST',
			path: '/v1/user/service_agreements/1001/usage_reports',
			body: {
				report_type: 'devices',
				date_period_start: '2026-11-01',
				date_period_end: '2026-11-15',
				devices: [first.id, second.id],
			},
		});
		expect(created.items).toEqual(
			paired([
				{
					id: expect.any(String),
					type: 'usage_report',
					attributes: expect.objectContaining({
						state: 'pending',
						report_type: 'devices',
						date_period_start: '2026-11-01',
						date_period_end: '2026-11-15',
						download_url: null,
					}),
				},
			]),
		);

		cloud().clearRequests();
		const reportId = String(created.items[0].json.id);
		const report = await runNode({
			parameters: { ...base, operation: 'getUsageReport', owner: 'user', reportId },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/user/usage_reports/${reportId}` });
		expect(report.items).toEqual(
			paired([
				{
					id: reportId,
					type: 'usage_report',
					attributes: expect.objectContaining({ state: 'available', download_url: expect.stringMatching(/^http/) }),
				},
			]),
		);
	});

	it('Create Usage Report (products, all or listed) then Get Usage Report, for an organization', async () => {
		const organization = rl('id', org().slug);
		const common = { ...base, operation: 'createUsageReport', owner: 'organization', organization, agreementId: '2001' };
		const period = { periodStart: '2026-10-01', periodEnd: '2026-10-01' };
		const all = await runNode({ parameters: { ...common, reportType: 'products', ...period }, credentials: user() });
		const path = `/v1/orgs/${org().slug}/service_agreements/2001/usage_reports`;
		const reportBody = { report_type: 'products', date_period_start: '2026-10-01', date_period_end: '2026-10-01' };
		expectCalls({ method: 'POST', path, body: reportBody });
		expect(all.items[0].json).toMatchObject({ type: 'usage_report', attributes: { report_type: 'products' } });

		cloud().clearRequests();
		await runNode({
			parameters: { ...common, reportType: 'products', ...period, productIds: String(productId()) },
			credentials: user(),
		});
		expectCalls({ method: 'POST', path, body: { ...reportBody, products: [String(productId())] } });

		cloud().clearRequests();
		const reportId = String(all.items[0].json.id);
		const report = await runNode({
			parameters: { ...base, operation: 'getUsageReport', owner: 'organization', organization, reportId },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/orgs/${org().slug}/usage_reports/${reportId}` });
		expect(report.items).toEqual(paired([expect.objectContaining({ id: reportId, type: 'usage_report' })]));
	});

	it('Get Notifications: one item per notification, for the account and for an organization', async () => {
		const mine = await runNode({
			parameters: { ...base, operation: 'getNotifications', owner: 'user', agreementId: '1001' },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: '/v1/user/service_agreements/1001/notifications' });
		const { body } = await direct('GET', '/v1/user/service_agreements/1001/notifications');
		// The fake dates its notification from the time of the call.
		const sameButTime = (note: IDataObject) => ({
			...note,
			attributes: { ...(note.attributes as IDataObject), created_at: expect.any(String) },
		});
		expect(mine.items).toEqual(paired((body.data as IDataObject[]).map(sameButTime)));
		expect(mine.items[0].json).toMatchObject({ type: 'notification', attributes: { resource_id: '1001' } });

		cloud().clearRequests();
		const theirs = await runNode({
			parameters: {
				...base,
				operation: 'getNotifications',
				owner: 'organization',
				organization: rl('list', org().slug),
				agreementId: '2001',
			},
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/orgs/${org().slug}/service_agreements/2001/notifications` });
		expect(theirs.items).toEqual(paired([expect.objectContaining({ type: 'notification', attributes: expect.objectContaining({ resource_id: '2001' }) })]));
	});

	it('refuses malformed, impossible and reversed dates and bad device IDs before sending', async () => {
		const result = await runNode({
			parameters: {
				...accountDeviceReport,
				periodStart: '={{ $json.from }}',
				periodEnd: '={{ $json.to }}',
				deviceIds: '={{ $json.devices }}',
			},
			credentials: user(),
			items: [
				{ from: '2026-11-31x', to: '2026-12-01', devices: '' },
				{ from: '2026-11-01', to: '2026-02-30', devices: '' },
				{ from: '2026-11-20', to: '2026-11-01', devices: '' },
				{ from: '2026-11-01', to: '2026-11-02', devices: 'not-a-device' },
			],
			continueOnFail: true,
		});
		expect(result.items).toEqual([
			{ json: expect.objectContaining({ error: 'Period Start must be a date as YYYY-MM-DD (got "2026-11-31x")' }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ error: 'Period End must be a date as YYYY-MM-DD (got "2026-02-30")' }), pairedItem: { item: 1 } },
			{ json: expect.objectContaining({ error: 'Period Start must not be after Period End' }), pairedItem: { item: 2 } },
			{
				json: expect.objectContaining({ error: 'Device ID "not-a-device" must be 24 hexadecimal characters (got 12 characters)' }),
				pairedItem: { item: 3 },
			},
		]);
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('API User', () => {
	const listDevices = async (token: string) => (await direct('GET', `/v1/products/${productId()}/devices`, token)).status;

	it('product: Create (token works in its scopes only), Get Many, Update (token rotates), Delete (token dies)', async () => {
		const target = { resource: 'apiUser', owner: 'product', product: rl('id', String(productId())) };
		const created = await runNode({
			parameters: { ...target, operation: 'create', friendlyName: ' Nightly export ', scopes: ['devices:list'] },
			credentials: user(),
		});
		expectCalls({
			method: 'POST',
			path: `/v1/products/${productId()}/team`,
			body: { friendly_name: 'Nightly export', scopes: ['devices:list'] },
		});
		expect(created.items).toEqual(
			paired([
				{
					username: expect.stringMatching(/^nightly-export\+\w+@api\.particle\.io$/),
					is_programmatic: true,
					friendly_name: 'Nightly export',
					scopes: ['devices:list'],
					tokens: [{ token: expect.any(String) }],
				},
			]),
		);
		const { username, tokens } = created.items[0].json as { username: string; tokens: Array<{ token: string }> };
		const firstToken = tokens[0].token;
		expect(await listDevices(firstToken)).toBe(200);
		expect((await direct('GET', `/v1/products/${productId()}/customers`, firstToken)).status).toBe(400);

		cloud().clearRequests();
		const listed = await runNode({ parameters: { ...target, operation: 'getAll' }, credentials: user() });
		expectCalls({ method: 'GET', path: `/v1/products/${productId()}/team` });
		expect(listed.items).toEqual(
			paired([{ username, is_programmatic: true, friendly_name: 'Nightly export', scopes: ['devices:list'] }]),
		);

		cloud().clearRequests();
		const updated = await runNode({
			parameters: { ...target, operation: 'update', username, scopes: ['customers:list', 'devices:list'] },
			credentials: user(),
		});
		expectCalls({
			method: 'PUT',
			path: `/v1/products/${productId()}/team/${encodeURIComponent(username)}`,
			body: { scopes: ['customers:list', 'devices:list'] },
		});
		expect(updated.items).toEqual(
			paired([expect.objectContaining({ username, scopes: ['customers:list', 'devices:list'], tokens: [{ token: expect.any(String) }] })]),
		);
		const secondToken = (updated.items[0].json as { tokens: Array<{ token: string }> }).tokens[0].token;
		expect(secondToken).not.toBe(firstToken);
		expect(await listDevices(firstToken)).toBe(401);
		expect(await listDevices(secondToken)).toBe(200);
		expect((await direct('GET', `/v1/products/${productId()}/customers`, secondToken)).status).toBe(200);

		cloud().clearRequests();
		const deleted = await runNode({ parameters: { ...target, operation: 'delete', username }, credentials: user() });
		expectCalls({ method: 'DELETE', path: `/v1/products/${productId()}/team/${encodeURIComponent(username)}` });
		expect(deleted.items).toEqual(paired([{ deleted: true, username }]));
		expect(await listDevices(secondToken)).toBe(401);

		const after = await runNode({ parameters: { ...target, operation: 'getAll' }, credentials: user() });
		expect(after.items).toEqual([]);
	});

	it('organization: Create, Get Many, Update the name (token rotates), Delete', async () => {
		const target = { resource: 'apiUser', owner: 'organization', organization: rl('id', org().slug) };
		const created = await runNode({
			parameters: { ...target, operation: 'create', friendlyName: 'Org reader', scopes: ['products:list'] },
			credentials: user(),
		});
		expectCalls({
			method: 'POST',
			path: `/v1/orgs/${org().slug}/team`,
			body: { friendly_name: 'Org reader', scopes: ['products:list'] },
		});
		const { username, tokens } = created.items[0].json as { username: string; tokens: Array<{ token: string }> };
		expect(created.items[0].pairedItem).toEqual({ item: 0 });
		const orgProducts = async (token: string) => (await direct('GET', `/v1/orgs/${org().slug}/products`, token)).status;
		expect(await orgProducts(tokens[0].token)).toBe(200);

		cloud().clearRequests();
		const listed = await runNode({ parameters: { ...target, operation: 'getAll' }, credentials: user() });
		expectCalls({ method: 'GET', path: `/v1/orgs/${org().slug}/team` });
		expect(listed.items.map((item) => item.json.username)).toEqual([username]);

		cloud().clearRequests();
		const updated = await runNode({
			parameters: { ...target, operation: 'update', username, friendlyName: 'Org auditor' },
			credentials: user(),
		});
		const userPath = `/v1/orgs/${org().slug}/team/${encodeURIComponent(username)}`;
		expectCalls({ method: 'PUT', path: userPath, body: { friendly_name: 'Org auditor' } });
		expect(updated.items).toEqual(paired([expect.objectContaining({ username, friendly_name: 'Org auditor', scopes: ['products:list'] })]));
		const newToken = (updated.items[0].json as { tokens: Array<{ token: string }> }).tokens[0].token;
		expect(await orgProducts(tokens[0].token)).toBe(401);
		expect(await orgProducts(newToken)).toBe(200);

		cloud().clearRequests();
		const deleted = await runNode({ parameters: { ...target, operation: 'delete', username }, credentials: user() });
		expectCalls({ method: 'DELETE', path: userPath });
		expect(deleted.items).toEqual(paired([{ deleted: true, username }]));
		expect(await orgProducts(newToken)).toBe(401);
	});

	it('refuses a 65-character name, an update without changes and a person as username, before sending', async () => {
		const target = { resource: 'apiUser', owner: 'product', product: rl('id', String(productId())) };
		const name65 = 'n'.repeat(65);
		const create = await runNode({
			parameters: { ...target, operation: 'create', friendlyName: '={{ $json.name }}', scopes: ['devices:list'] },
			credentials: user(),
			items: [{ name: name65 }],
		});
		expect(create.error?.message).toBe('Friendly Name is 65 characters long; Particle allows at most 64');

		const update = await runNode({
			parameters: { ...target, operation: 'update', username: '={{ $json.username }}', friendlyName: '={{ $json.name }}' },
			credentials: user(),
			items: [
				{ username: 'reader+abc@api.particle.io', name: name65 },
				{ username: 'reader+abc@api.particle.io', name: '' },
			],
			continueOnFail: true,
		});
		expect(update.items).toEqual([
			{ json: expect.objectContaining({ error: 'Friendly Name is 65 characters long; Particle allows at most 64' }), pairedItem: { item: 0 } },
			{ json: expect.objectContaining({ error: 'Set a new Friendly Name or Scopes to update' }), pairedItem: { item: 1 } },
		]);

		const remove = await runNode({
			parameters: { ...target, operation: 'delete', username: cloud().fleet.user.username },
			credentials: user(),
		});
		expect(remove.error?.message).toBe(
			`Username must be an API user's username, ending with @api.particle.io (got "${cloud().fleet.user.username}")`,
		);
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('SIM', () => {
	const inProduct = () => ({ resource: 'sim', deviceScope: 'product', product: rl('id', String(simProduct())) });
	const simJson = async (iccid: string) => (await direct('GET', `/v1/products/${simProduct()}/sims/${iccid}`)).body;

	it('Get Many (product): every page, one item per SIM', async () => {
		const result = await runNode({ parameters: { ...inProduct(), operation: 'getAll', returnAll: true }, credentials: user() });
		const path = `/v1/products/${simProduct()}/sims`;
		expectCalls(
			{ method: 'GET', path, query: { page: '1', perPage: '100' } },
			{ method: 'GET', path, query: { page: '2', perPage: '100' } },
		);
		expect(productSims()).toHaveLength(105);
		expect(result.items.map((item) => item.json.iccid)).toEqual(productSims().map((sim) => sim.iccid));
		expect(result.items[0]).toEqual({ json: await simJson(String(productSims()[0].iccid)), pairedItem: { item: 0 } });
	});

	it('Get Many (product): Limit asks for one page that size; filters go to Particle trimmed', async () => {
		const limited = await runNode({ parameters: { ...inProduct(), operation: 'getAll', returnAll: false, limit: 3 }, credentials: user() });
		expectCalls({ method: 'GET', path: `/v1/products/${simProduct()}/sims`, query: { page: '1', perPage: '3' } });
		expect(limited.items.map((item) => item.json.iccid)).toEqual(productSims().slice(0, 3).map((sim) => sim.iccid));

		cloud().clearRequests();
		const target = productSims()[7];
		const filters = { iccid: ` ${String(target.iccid).slice(-8)} `, deviceId: target.id, deviceName: target.name };
		const filtered = await runNode({
			parameters: { ...inProduct(), operation: 'getAll', returnAll: true, filters },
			credentials: user(),
		});
		expectCalls({
			method: 'GET',
			path: `/v1/products/${simProduct()}/sims`,
			query: { page: '1', perPage: '100', iccid: String(target.iccid).slice(-8), deviceId: target.id, deviceName: target.name },
		});
		expect(filtered.items).toEqual(paired([await simJson(String(target.iccid))]));
	});

	it('Get Many (sandbox): the account\'s SIMs in one request, cut to the limit', async () => {
		const all = await runNode({ parameters: { resource: 'sim', operation: 'getAll', returnAll: true }, credentials: user() });
		expectCalls({ method: 'GET', path: '/v1/sims' });
		const { body } = await direct('GET', '/v1/sims');
		expect(all.items).toEqual(paired(body.sims as IDataObject[]));
		expect(all.items.map((item) => item.json.iccid)).toEqual(sandboxSims().map((sim) => sim.iccid));

		const limited = await runNode({ parameters: { resource: 'sim', operation: 'getAll', limit: 2 }, credentials: user() });
		expect(limited.items.map((item) => item.json.iccid)).toEqual(sandboxSims().slice(0, 2).map((sim) => sim.iccid));
	});

	it('Get: one SIM per input item, in a product or the sandbox; spaces in the ICCID are dropped', async () => {
		const [first, second] = productSims();
		const spaced = String(second.iccid).replace(/(\d{4})/g, '$1 ');
		const inProductResult = await runNode({
			parameters: { ...inProduct(), operation: 'get', iccid: '={{ $json.iccid }}' },
			credentials: user(),
			items: [{ iccid: first.iccid }, { iccid: spaced }],
		});
		expectCalls(
			{ method: 'GET', path: `/v1/products/${simProduct()}/sims/${first.iccid}` },
			{ method: 'GET', path: `/v1/products/${simProduct()}/sims/${second.iccid}` },
		);
		expect(inProductResult.items).toEqual([
			...paired([await simJson(String(first.iccid))], 0),
			...paired([await simJson(String(second.iccid))], 1),
		]);

		cloud().clearRequests();
		const sandboxSim = sandboxSims()[0];
		const inSandbox = await runNode({
			parameters: { resource: 'sim', operation: 'get', iccid: String(sandboxSim.iccid) },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/sims/${sandboxSim.iccid}` });
		expect(inSandbox.items).toEqual(
			paired([expect.objectContaining({ iccid: sandboxSim.iccid, _id: sandboxSim.iccid, last_device_id: sandboxSim.id })]),
		);
	});

	it('Get Data Usage: one item with the days, or one item per day', async () => {
		const sim = productSims()[0];
		const path = `/v1/products/${simProduct()}/sims/${sim.iccid}/data_usage`;
		const whole = await runNode({
			parameters: { ...inProduct(), operation: 'getDataUsage', iccid: String(sim.iccid) },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path });
		const { body } = await direct('GET', path);
		expect(whole.items).toEqual(paired([body]));
		// The current billing period so far, as the service agreement says.
		const days = body.usage_by_day as IDataObject[];
		const agreements = (await direct('GET', '/v1/user/service_agreements')).body.data as Array<{ attributes: IDataObject }>;
		expect(days[0].date).toBe(agreements[0].attributes.current_billing_period_start);
		expect(days.at(-1)?.date).toBe(new Date(cloud().now()).toISOString().slice(0, 10));

		cloud().clearRequests();
		const split = await runNode({
			parameters: { ...inProduct(), operation: 'getDataUsage', iccid: String(sim.iccid), splitByDay: true },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path });
		expect(split.items).toEqual(paired(days.map((day) => ({ iccid: sim.iccid, ...day }))));

		cloud().clearRequests();
		const sandboxSim = sandboxSims()[0];
		const sandbox = await runNode({
			parameters: { resource: 'sim', operation: 'getDataUsage', iccid: String(sandboxSim.iccid), splitByDay: true },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: `/v1/sims/${sandboxSim.iccid}/data_usage` });
		expect(sandbox.items.map((item) => item.json.date)).toEqual(days.map((day) => day.date));
	});

	it('refuses a malformed ICCID before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'sim', operation: 'getDataUsage', iccid: '={{ $json.iccid }}' },
			credentials: user(),
			items: [{ iccid: '1234' }, { iccid: '8934076500123456789x' }, { iccid: '8'.repeat(23) }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => [item.pairedItem, item.json.error])).toEqual([
			[{ item: 0 }, 'ICCID must be 19 to 22 digits (got "1234", 4 characters)'],
			[{ item: 1 }, 'ICCID must be 19 to 22 digits (got "8934076500123456789x", 20 characters)'],
			[{ item: 2 }, `ICCID must be 19 to 22 digits (got "${'8'.repeat(23)}", 23 characters)`],
		]);
		expect(cloud().requests).toHaveLength(0);
	});

	it('an API user without the SIM scope gets a clear refusal (Particle: 400 unauthorized)', async () => {
		const result = await runNode({
			parameters: { resource: 'sim', operation: 'getAll', deviceScope: 'product', product: rl('id', String(productId())), returnAll: true },
			credentials: apiUserToken(cloud()),
		});
		expectCalls({
			method: 'GET',
			path: `/v1/products/${productId()}/sims`,
			query: { page: '1', perPage: '100' },
			token: cloud().tokens.apiUser,
		});
		expect(result.error?.httpCode).toBe('400');
		// "If an API user attempts to perform an action that it is not permitted to, a standard 400 unauthorized error is returned."
		expect(result.error?.message).toMatch(/^The Particle token is not allowed to do this: This endpoint requires the sims:list scope/);
		expect(result.error?.description).toMatch(/For an API user, add the missing scope/);
	});
});
