/** Direct HTTP tests of product customers: creation with the product client, paging, password, deletion, tokens, claims. */
import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call, INVALID_TOKEN, prop } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 1, products: 2, productDevices: 4 });
});
afterAll(() => cloud.close());

const product = () => cloud.productClient.productId;
const customersPath = () => `/v1/products/${product()}/customers`;
const client = () => ({ client_id: cloud.productClient.clientId, client_secret: cloud.productClient.clientSecret });
const basic = () => `Basic ${Buffer.from(`${cloud.productClient.clientId}:${cloud.productClient.clientSecret}`).toString('base64')}`;
const user = () => ({ token: cloud.tokens.user });
const create = (form: Record<string, string>, headers?: Record<string, string>) => call(cloud, 'POST', customersPath(), { form, headers });
const customerToken = (email: string) =>
	call(cloud, 'POST', '/oauth/token', { form: { grant_type: 'client_credentials', scope: `customer=${email}`, ...client() } });

interface TokenResponse {
	access_token: string;
	refresh_token: string;
}

describe('creating customers', () => {
	test('with the product client in form fields and a password: the token response, and the customer exists', async () => {
		const created = await create({ email: 'jane@example.com', password: 'jane-secret-1', ...client() });
		expect(created.status).toBe(200);
		expect(created.body).toEqual({
			token_type: 'bearer',
			access_token: expect.stringMatching(/^[0-9a-f]{40}$/),
			expires_in: 3600,
			refresh_token: expect.stringMatching(/^[0-9a-f]{40}$/),
		});
		expect(cloud.fleet.findCustomer(product(), 'jane@example.com')).toMatchObject({ username: 'jane@example.com', password: 'jane-secret-1' });
		const token = (created.body as TokenResponse).access_token;
		expect((await call(cloud, 'GET', '/v1/devices', { token })).body).toEqual([]);
		expect((await call(cloud, 'GET', customersPath(), { token })).status).toBe(403);
	});

	test('with HTTP Basic and no_password=true (a shadow customer)', async () => {
		const created = await create({ email: 'shadow@example.com', no_password: 'true' }, { authorization: basic() });
		expect(created.status).toBe(200);
		expect(cloud.fleet.findCustomer(product(), 'shadow@example.com')?.password).toBeUndefined();
	});

	test.each([
		['no email', { password: 'long-enough-1' }],
		['no password and no no_password', { email: 'nopass@example.com' }],
		['an email already taken', { email: 'customer1+10001@example.com', no_password: 'true' }],
	])('%s → 400', async (_name, form) => {
		expect((await create({ ...form, ...client() })).status).toBe(400);
	});

	test('needs this product’s client: a wrong secret is 401, another product’s client 403, an unknown product 404', async () => {
		const wrong = await create({ email: 'x@example.com', no_password: 'true', client_id: cloud.productClient.clientId, client_secret: 'wrong' });
		expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
		const other = cloud.fleet.oauthClients.find((candidate) => candidate.productId === cloud.fleet.products[1].id)!;
		expect((await create({ email: 'x@example.com', no_password: 'true', client_id: other.id, client_secret: other.secret })).status).toBe(403);
		expect((await call(cloud, 'POST', '/v1/products/999/customers', { form: { email: 'x@example.com', no_password: 'true', ...client() } })).status).toBe(404);
		// A bearer token is no client authentication.
		expect((await call(cloud, 'POST', customersPath(), { ...user(), form: { email: 'x@example.com', no_password: 'true' } })).status).toBe(401);
	});
});

describe('listing customers', () => {
	test('25 a page by default with meta; per_page and page; each with its devices', async () => {
		const first = await call(cloud, 'GET', customersPath(), user());
		const { customers, meta } = first.body as { customers: Array<{ id: string; username: string; devices: string[] }>; meta: unknown };
		const total = cloud.fleet.products[0].customers.length;
		expect(meta).toEqual({ page: 1, per_page: 25, total_pages: 1, total });
		const [seeded] = customers;
		expect(seeded).toEqual({ id: expect.any(String), username: 'customer1+10001@example.com', devices: [cloud.fleet.productDevices(product())[0].id] });

		const second = await call(cloud, 'GET', `/v1/products/${cloud.productClient.productSlug}/customers?per_page=1&page=2`, user());
		expect(second.body).toEqual({ customers: [customers[1]], meta: { page: 2, per_page: 1, total_pages: total, total } });
		expect((await call(cloud, 'GET', `${customersPath()}?page=0`, user())).status).toBe(400);
	});

	test('API users need customers:list; customers may not list', async () => {
		expect((await call(cloud, 'GET', customersPath(), { token: cloud.issueToken({ kind: 'apiUser', scopes: ['customers:list'] }) })).status).toBe(200);
		expect(prop(await call(cloud, 'GET', customersPath(), { token: cloud.tokens.apiUser }), 'error')).toBe('insufficient_scope');
		expect((await call(cloud, 'GET', customersPath(), { token: cloud.tokens.customer })).status).toBe(403);
	});
});

describe('changing and deleting customers', () => {
	test('PUT password → { ok: true }; a customer token → 403; unknown → 404; too short → 400', async () => {
		const email = 'customer2+10001@example.com';
		// "+" and "@" arrive encoded or not; the segment is decoded once.
		const changed = await call(cloud, 'PUT', `${customersPath()}/${encodeURIComponent(email)}`, { ...user(), json: { password: 'new-password-2' } });
		expect(changed.body).toEqual({ ok: true });
		expect(cloud.fleet.findCustomer(product(), email)?.password).toBe('new-password-2');
		const asCustomer = await call(cloud, 'PUT', `${customersPath()}/${email}`, { token: cloud.tokens.customer, json: { password: 'long-enough-3' } });
		expect(asCustomer.status).toBe(403);
		expect((await call(cloud, 'PUT', `${customersPath()}/nobody@example.com`, { ...user(), json: { password: 'long-enough-3' } })).status).toBe(404);
		expect((await call(cloud, 'PUT', `${customersPath()}/${email}`, { ...user(), form: { password: 'short' } })).status).toBe(400);
	});

	test('DELETE → { ok: true }: its tokens, refresh tokens and claim codes die, its devices are released', async () => {
		const email = 'leaver@example.com';
		const created = (await create({ email, password: 'leaver-secret', ...client() })).body as TokenResponse;
		const minted = (await customerToken(email)).body as TokenResponse;
		const device = cloud.fleet.productDevices(product())[3];
		expect((await call(cloud, 'POST', '/v1/devices', { token: minted.access_token, json: { id: device.id } })).status).toBe(200);
		expect((await call(cloud, 'POST', `/v1/products/${product()}/device_claims`, { token: created.access_token })).status).toBe(200);
		expect(cloud.fleet.claimCodes.some((code) => code.owner === email)).toBe(true);

		expect((await call(cloud, 'DELETE', `${customersPath()}/${email}`, user())).body).toEqual({ ok: true });
		for (const token of [created.access_token, minted.access_token]) expect((await call(cloud, 'GET', '/v1/devices', { token })).body).toEqual(INVALID_TOKEN);
		const refreshed = await call(cloud, 'POST', '/oauth/token', { form: { grant_type: 'refresh_token', refresh_token: minted.refresh_token, ...client() } });
		expect(refreshed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
		expect(await customerToken(email)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
		expect(cloud.fleet.claimCodes.some((code) => code.owner === email)).toBe(false);
		expect(device.owner).toBeNull();
		expect((await call(cloud, 'DELETE', `${customersPath()}/${email}`, user())).status).toBe(404);
		expect((await call(cloud, 'DELETE', `${customersPath()}/customer1+10001@example.com`, { token: cloud.tokens.customer })).status).toBe(403);
	});
});

describe('customer tokens', () => {
	test('/oauth/token scope=customer=<email> mints one for an existing customer, which claims codes for itself', async () => {
		const minted = await customerToken('customer1+10001@example.com');
		expect(minted.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600, refresh_token: expect.any(String) });
		const token = (minted.body as TokenResponse).access_token;
		const claim = await call(cloud, 'POST', `/v1/products/${cloud.productClient.productSlug}/device_claims`, { token });
		expect(claim.body).toEqual({ claim_code: expect.stringMatching(/^[A-Za-z0-9_-]{63}$/), device_ids: [cloud.fleet.productDevices(product())[0].id] });
		expect(cloud.fleet.claimCodes.at(-1)).toMatchObject({ owner: 'customer1+10001@example.com', productId: product() });
		expect((await call(cloud, 'POST', `/v1/products/${cloud.fleet.products[1].id}/device_claims`, { token })).status).toBe(403);
		expect(await customerToken('stranger@example.com')).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.any(String) } });
	});
});
