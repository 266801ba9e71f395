/** Direct HTTP tests of products, organizations, teams and API users (create, use, rotate, delete). */
import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call, createApiUser, INVALID_TOKEN, prop } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	// The organization owns product 10001; the user owns 10002.
	cloud = await startFakeCloud({ devices: 2, products: 2, productDevices: 3 });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
const org = () => cloud.fleet.organizations[0];
const orgProduct = () => cloud.fleet.products[0];
const userProduct = () => cloud.fleet.products[1];
const teamOf = async (owner: string) => prop(await call(cloud, 'GET', `${owner}/team`, user()), 'team') as Array<Record<string, unknown>>;
const statusOf = (method: string, path: string, token: string, json?: unknown) => call(cloud, method, path, { token, json }).then((r) => r.status);
const NOT_FOR_API_USERS = { error: 'unauthorized', error_description: 'API users are not allowed to call this endpoint' };

describe('organizations', () => {
	test('GET /v1/orgs, one org by id or slug, its products', async () => {
		const list = await call(cloud, 'GET', '/v1/orgs', user());
		expect(list.body).toEqual({ organizations: [{ id: org().id, name: 'Acme IoT', slug: 'acme-iot' }] });
		const bySlug = await call(cloud, 'GET', '/v1/orgs/acme-iot', user());
		expect(bySlug.body).toEqual({ organization: { id: org().id, name: 'Acme IoT', slug: 'acme-iot' } });
		expect((await call(cloud, 'GET', `/v1/orgs/${org().id}`, user())).body).toEqual(bySlug.body);
		const products = prop(await call(cloud, 'GET', '/v1/orgs/acme-iot/products', user()), 'products') as Array<Record<string, unknown>>;
		expect(products).toEqual([expect.objectContaining({ id: orgProduct().id, slug: orgProduct().slug, org: 'acme-iot', organization_id: org().id })]);
		expect((await call(cloud, 'GET', '/v1/orgs/no-such-org', user())).status).toBe(404);
		expect((await call(cloud, 'GET', '/v1/orgs/no-such-org/products', user())).body).toEqual({ ok: false, error: 'Organization not found' });
	});

	test('customers, product tokens and API users have no organization list', async () => {
		const productToken = cloud.issueToken({ kind: 'product' });
		expect(await statusOf('GET', '/v1/orgs', cloud.tokens.customer)).toBe(403);
		expect(await statusOf('GET', '/v1/orgs/acme-iot', productToken)).toBe(403);
		expect((await call(cloud, 'GET', '/v1/orgs', { token: cloud.tokens.apiUser })).body).toEqual(NOT_FOR_API_USERS);
	});
});

describe('product and organization teams', () => {
	test('the user is the Administrator; API users are listed as programmatic members', async () => {
		const robot = await createApiUser(cloud, `/v1/products/${userProduct().id}`, ['devices:list'], 'Team lister');
		for (const owner of [`/v1/products/${userProduct().id}`, `/v1/products/${userProduct().slug}`]) {
			expect(await teamOf(owner)).toEqual([
				{ username: 'operator@example.com', role: { id: '000000000000000000000002', name: 'Administrator' } },
				{ username: robot.username, is_programmatic: true, friendly_name: 'Team lister', scopes: ['devices:list'] },
			]);
		}
		expect(await teamOf('/v1/orgs/acme-iot')).toEqual([expect.objectContaining({ username: 'operator@example.com' })]);
	});

	test('listing needs teams.users:list; customers and product tokens may not', async () => {
		const owner = `/v1/products/${orgProduct().id}/team`;
		const lister = cloud.issueToken({ kind: 'apiUser', scopes: ['teams.users:list'] });
		expect(await statusOf('GET', owner, lister)).toBe(200);
		expect(await call(cloud, 'GET', owner, { token: cloud.tokens.apiUser })).toMatchObject({ status: 400, body: { error: 'unauthorized' } });
		expect(await statusOf('GET', owner, cloud.tokens.customer)).toBe(403);
		expect(await statusOf('GET', owner, cloud.issueToken({ kind: 'product' }))).toBe(403);
		expect(await statusOf('GET', '/v1/products/424242/team', cloud.tokens.user)).toBe(404);
	});
});

describe('API users', () => {
	test('create → its token works within its scopes and product → update rotates it → delete kills it', async () => {
		const product = `/v1/products/${orgProduct().id}`;
		const created = await call(cloud, 'POST', `${product}/team`, { ...user(), json: { friendly_name: 'Fleet Reader #1', scopes: ['devices:list'] } });
		expect(created.status).toBe(200);
		expect(created.body).toEqual({
			ok: true,
			created: {
				username: expect.stringMatching(/^fleet-reader-1\+[0-9a-z]{10}@api\.particle\.io$/),
				is_programmatic: true,
				friendly_name: 'Fleet Reader #1',
				scopes: ['devices:list'],
				tokens: [{ token: expect.stringMatching(/^[0-9a-f]{40}$/) }],
			},
		});
		const { username, tokens } = prop(created, 'created') as { username: string; tokens: Array<{ token: string }> };
		const first = tokens[0].token;
		const device = cloud.fleet.productDevices(orgProduct().id)[0].id;

		expect(await statusOf('GET', `${product}/devices`, first)).toBe(200);
		expect(await statusOf('GET', `${product}/devices/${device}`, first)).toBe(400);
		expect(await statusOf('GET', `/v1/products/${userProduct().id}/devices`, first)).toBe(400);
		expect((await call(cloud, 'GET', '/v1/devices', { token: first })).body).toEqual(NOT_FOR_API_USERS);
		expect(prop(await call(cloud, 'GET', '/v1/access_tokens/current', { token: first }), 'scopes')).toEqual(['devices:list']);

		// The username goes in the path encoded or raw ("+" and "@" are path-safe); it is decoded once either way.
		const updated = await call(cloud, 'PUT', `${product}/team/${encodeURIComponent(username)}`, { ...user(), json: { scopes: ['devices:list', 'devices:get'] } });
		expect(updated.body).toMatchObject({ ok: true, created: { username, friendly_name: 'Fleet Reader #1', scopes: ['devices:list', 'devices:get'] } });
		const second = (prop(updated, 'created') as { tokens: Array<{ token: string }> }).tokens[0].token;
		expect(second).not.toBe(first);
		expect((await call(cloud, 'GET', `${product}/devices`, { token: first })).body).toEqual(INVALID_TOKEN);
		expect(await statusOf('GET', `${product}/devices/${device}`, second)).toBe(200);

		const renamed = await call(cloud, 'PUT', `${product}/team/${username}`, { ...user(), json: { friendly_name: 'Renamed' } });
		const third = (prop(renamed, 'created') as { tokens: Array<{ token: string }> }).tokens[0].token;
		expect(prop(renamed, 'created')).toMatchObject({ friendly_name: 'Renamed', scopes: ['devices:list', 'devices:get'] });
		expect(await statusOf('GET', `${product}/devices`, second)).toBe(401);

		expect((await call(cloud, 'DELETE', `${product}/team/${username}`, user())).body).toEqual({ ok: true });
		expect(await statusOf('GET', `${product}/devices`, third)).toBe(401);
		expect((await teamOf(product)).map((member) => member.username)).not.toContain(username);
		expect(await statusOf('DELETE', `${product}/team/${username}`, cloud.tokens.user)).toBe(404);
	});

	test('an organization API user works on the organization’s products only', async () => {
		const robot = await createApiUser(cloud, `/v1/orgs/${org().id}`, ['products:list', 'devices:list', 'teams.users:list']);
		expect(await teamOf('/v1/orgs/acme-iot')).toContainEqual(expect.objectContaining({ username: robot.username, is_programmatic: true }));
		const listed = prop(await call(cloud, 'GET', '/v1/products', { token: robot.token }), 'products') as Array<{ id: number }>;
		expect(listed.map((product) => product.id)).toEqual([orgProduct().id]);
		expect(prop(await call(cloud, 'GET', '/v1/orgs/acme-iot/products', { token: robot.token }), 'products')).toHaveLength(1);
		expect(await statusOf('GET', `/v1/products/${orgProduct().slug}/devices`, robot.token)).toBe(200);
		expect(await statusOf('GET', `/v1/products/${userProduct().id}/devices`, robot.token)).toBe(400);
		expect(await statusOf('GET', '/v1/orgs/acme-iot/team', robot.token)).toBe(200);
		expect(prop(await call(cloud, 'GET', '/v1/access_tokens/current', { token: robot.token }), 'orgs')).toEqual([{ id: org().id, slug: 'acme-iot' }]);
		// A product's team is not the organization's: the org user is not listed there, nor may it be changed there.
		expect(await statusOf('DELETE', `/v1/products/${orgProduct().id}/team/${robot.username}`, cloud.tokens.user)).toBe(404);
		expect(await statusOf('DELETE', `/v1/orgs/acme-iot/team/${robot.username}`, cloud.tokens.user)).toBe(200);
	});

	test('the scopes of the current reference are accepted; the one only an older reference had is not', async () => {
		const current = [
			'clients:update',
			'configuration:get',
			'firmware:release',
			'firmware.binary:get',
			'groups.impact:get',
			'integrations:update',
			'ledger.instances:set',
			'locations:get',
			'metrics.integrations:get',
			'organization:get',
			'service_agreements.pricing_terms:get',
			'service_agreements.usage_summary:get',
		];
		const created = await call(cloud, 'POST', `/v1/products/${orgProduct().id}/team`, { ...user(), json: { friendly_name: 'Everything new', scopes: current } });
		expect(created.status).toBe(200);
		expect(prop(created, 'created')).toMatchObject({ scopes: current });
		const older = await call(cloud, 'POST', `/v1/products/${orgProduct().id}/team`, { ...user(), json: { friendly_name: 'Old', scopes: ['devices.diagnostics.metadata:get'] } });
		expect(older).toMatchObject({ status: 400, body: { error: 'Unknown scope: devices.diagnostics.metadata:get' } });
	});

	test.each([
		['an unknown scope', { friendly_name: 'x', scopes: ['devices:list', 'devices:launch'] }, 'Unknown scope: devices:launch'],
		['no scopes', { friendly_name: 'x', scopes: [] }, 'scopes must be a non-empty list of scope names'],
		['scopes that are not a list', { friendly_name: 'x', scopes: 'devices:list' }, 'scopes must be a non-empty list of scope names'],
		['no friendly name', { scopes: ['devices:list'] }, 'friendly_name must be a string'],
		['an empty friendly name', { friendly_name: ' ', scopes: ['devices:list'] }, 'friendly_name must be 1 to 64 characters'],
	])('create with %s → 400', async (_name, json, error) => {
		const response = await call(cloud, 'POST', `/v1/products/${orgProduct().id}/team`, { ...user(), json });
		expect(response.status).toBe(400);
		expect(response.body).toEqual({ ok: false, error });
	});

	test('only the administrating user may create, change or delete: API users get the documented body with 400', async () => {
		const owner = `/v1/products/${orgProduct().id}/team`;
		const robot = await createApiUser(cloud, `/v1/products/${orgProduct().id}`, ['devices:list']);
		const admin = cloud.issueToken({ kind: 'apiUser', scopes: ['teams.users:invite', 'teams.users:update', 'teams.users:remove'] });
		for (const [method, path] of [['POST', owner], ['PUT', `${owner}/${robot.username}`], ['DELETE', `${owner}/${robot.username}`]]) {
			const response = await call(cloud, method, path, { token: admin, json: { friendly_name: 'x', scopes: ['devices:list'] } });
			expect([response.status, response.body]).toEqual([400, NOT_FOR_API_USERS]);
			expect(await statusOf(method, path, cloud.tokens.customer, { friendly_name: 'x', scopes: ['devices:list'] })).toBe(403);
			expect(await statusOf(method, path, cloud.issueToken({ kind: 'product' }), { friendly_name: 'x', scopes: ['devices:list'] })).toBe(403);
		}
		expect(await statusOf('POST', '/v1/orgs/no-such-org/team', cloud.tokens.user, { friendly_name: 'x', scopes: ['devices:list'] })).toBe(404);
		expect(await statusOf('PUT', `${owner}/nobody%2Bx%40api.particle.io`, cloud.tokens.user, { scopes: ['devices:list'] })).toBe(404);
	});
});

describe('products', () => {
	test('a product token and a product API user see their own product; customers none', async () => {
		const productToken = cloud.issueToken({ kind: 'product', productId: userProduct().id });
		const listed = prop(await call(cloud, 'GET', '/v1/products', { token: productToken }), 'products') as Array<{ id: number }>;
		expect(listed.map((product) => product.id)).toEqual([userProduct().id]);
		expect(await statusOf('GET', `/v1/products/${orgProduct().id}`, productToken)).toBe(403);
		const getter = cloud.issueToken({ kind: 'apiUser', productId: userProduct().id, scopes: ['products:get'] });
		expect(await statusOf('GET', `/v1/products/${userProduct().slug}`, getter)).toBe(200);
		expect(await statusOf('GET', '/v1/products', getter)).toBe(400);
		expect(await statusOf('GET', '/v1/products', cloud.tokens.customer)).toBe(403);
		expect((await call(cloud, 'GET', '/v1/user/products', { token: getter })).body).toEqual(NOT_FOR_API_USERS);
	});
});
