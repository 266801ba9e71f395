/** Direct HTTP tests of product customers: creation with the product client, the list, password, deletion, tokens, claims. */
import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call, INVALID_TOKEN } from './helpers';

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
		// The reference's example: "HTTP/1.1 201 OK" with the token.
		expect(created.status).toBe(201);
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
		expect(created.status).toBe(201);
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
	});

	test('a Bearer header is the "Access Token" form: a user of the product, with a password; no shadow customers', async () => {
		const asUser = await call(cloud, 'POST', customersPath(), { ...user(), form: { email: 'by-user@example.com', password: 'by-user-secret' } });
		expect(asUser.status).toBe(201);
		expect(cloud.fleet.findCustomer(product(), 'by-user@example.com')).toMatchObject({ password: 'by-user-secret' });
		expect((await call(cloud, 'POST', customersPath(), { ...user(), form: { email: 'x@example.com', no_password: 'true' } })).status).toBe(400);
		expect((await call(cloud, 'POST', customersPath(), { ...user(), form: { email: 'x@example.com' } })).status).toBe(400);
		expect((await call(cloud, 'POST', customersPath(), { token: 'f'.repeat(40), form: { email: 'x@example.com', password: 'long-enough-1' } })).status).toBe(401);
	});

	test('a product token as Bearer is refused, even with the client in the body (what the node sent before)', async () => {
		const productToken = cloud.issueToken({ kind: 'product' });
		const both = await call(cloud, 'POST', customersPath(), { token: productToken, form: { ...client(), email: 'both@example.com', no_password: 'true' } });
		expect(both.status).toBe(403);
		expect(cloud.fleet.findCustomer(product(), 'both@example.com')).toBeUndefined();
		const customer = await call(cloud, 'POST', customersPath(), { token: cloud.tokens.customer, form: { email: 'c@example.com', password: 'long-enough-1' } });
		expect(customer.status).toBe(403);
	});
});

describe('listing customers', () => {
	test('the whole list with the documented fields, each customer with its devices, and the devices listed too', async () => {
		const first = await call(cloud, 'GET', customersPath(), user());
		const { customers, devices, meta } = first.body as {
			customers: Array<{ id: string; username: string; devices: string[] }>;
			devices: Array<Record<string, unknown>>;
			meta: unknown;
		};
		expect(customers.map((customer) => customer.username)).toEqual(cloud.fleet.products[0].customers.map((customer) => customer.username));
		const [seeded] = customers;
		const owned = cloud.fleet.productDevices(product())[0];
		expect(seeded).toEqual({ id: expect.any(String), username: 'customer1+10001@example.com', devices: [owned.id] });
		expect(devices).toContainEqual({ id: owned.id, product_id: product(), last_ip_address: owned.last_ip_address, firmware_version: owned.firmware_version, online: owned.online });
		expect(meta).toEqual({ total_pages: 1 });
	});

	test('no paging is documented: page and per_page are ignored, and total_pages counts pages of 25 as the example does', async () => {
		const all = await call(cloud, 'GET', customersPath(), user());
		for (const query of ['?per_page=1&page=2', '?page=7', '?page=0&per_page=abc']) {
			expect((await call(cloud, 'GET', `/v1/products/${cloud.productClient.productSlug}/customers${query}`, user())).body).toEqual(all.body);
		}
		const many = await startFakeCloud({ devices: 0, productDevices: 1 });
		try {
			for (let n = 0; n < 30; n++) many.issueToken({ kind: 'customer', customer: `bulk-${n}@example.com` });
			const listed = await call(many, 'GET', `/v1/products/${many.productClient.productId}/customers?page=2`, { token: many.tokens.user });
			const body = listed.body as { customers: unknown[]; meta: unknown };
			expect(body.customers).toHaveLength(many.fleet.products[0].customers.length);
			expect(body.meta).toEqual({ total_pages: 2 });
		} finally {
			await many.close();
		}
	});

	test('API users need customers:list (else the documented 400 unauthorized); customers may not list', async () => {
		expect((await call(cloud, 'GET', customersPath(), { token: cloud.issueToken({ kind: 'apiUser', scopes: ['customers:list'] }) })).status).toBe(200);
		expect(await call(cloud, 'GET', customersPath(), { token: cloud.tokens.apiUser })).toMatchObject({ status: 400, body: { error: 'unauthorized' } });
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

describe('product claim codes', () => {
	test('need the token of a customer of that product: a user, product or API-user token is refused', async () => {
		const claims = `/v1/products/${product()}/device_claims`;
		const before = cloud.fleet.claimCodes.length;
		expect((await call(cloud, 'POST', claims, user())).status).toBe(403);
		expect((await call(cloud, 'POST', claims, { token: cloud.issueToken({ kind: 'product' }) })).status).toBe(403);
		expect(await call(cloud, 'POST', claims, { token: cloud.tokens.apiUser })).toMatchObject({
			status: 400,
			body: { error: 'unauthorized', error_description: 'API users are not allowed to call this endpoint' },
		});
		expect(cloud.fleet.claimCodes).toHaveLength(before);
		expect((await call(cloud, 'POST', claims, { token: cloud.tokens.customer })).status).toBe(200);
		expect(cloud.fleet.claimCodes).toHaveLength(before + 1);
	});
});
