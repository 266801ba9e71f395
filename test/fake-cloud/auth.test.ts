import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call, INVALID_TOKEN, prop, type CallResult } from './helpers';

let cloud: FakeCloud;
let sandboxId: string;
let customerDeviceId: string;
let otherProductDeviceId: string;
beforeAll(async () => {
	cloud = await startFakeCloud({ products: 2, tokenLifetimeSeconds: 120 });
	sandboxId = cloud.fleet.sandboxDevices()[0].id;
	customerDeviceId = cloud.fleet.productDevices(cloud.productClient.productId)[0].id;
	otherProductDeviceId = cloud.fleet.productDevices(cloud.fleet.products[1].id)[0].id;
});
afterAll(() => cloud.close());

function tokenForm(fields: Record<string, string>): Promise<CallResult> {
	return call(cloud, 'POST', '/oauth/token', { form: fields });
}

describe('passing the token', () => {
	test('Authorization header, ?access_token= and a form access_token all work', async () => {
		expect((await call(cloud, 'GET', '/v1/devices', { token: cloud.tokens.user })).status).toBe(200);
		expect((await call(cloud, 'GET', `/v1/devices?access_token=${cloud.tokens.user}`)).status).toBe(200);
		const viaForm = await call(cloud, 'PUT', `/v1/devices/${sandboxId}`, { form: { access_token: cloud.tokens.user, notes: 'form' } });
		expect(viaForm.status).toBe(200);
	});

	test('the header wins: a bad bearer is not rescued by a good query token', async () => {
		const res = await call(cloud, 'GET', `/v1/devices?access_token=${cloud.tokens.user}`, { token: 'f'.repeat(40) });
		expect(res.status).toBe(401);
	});

	test('a JSON body access_token is not a way in', async () => {
		const res = await call(cloud, 'PUT', `/v1/devices/${sandboxId}`, { json: { access_token: cloud.tokens.user, notes: 'x' } });
		expect(res.status).toBe(401);
	});

	test.each([
		['missing', undefined],
		['unknown', '0123456789abcdef0123456789abcdef01234567'],
		['malformed header', ''],
	])('%s token → 401 invalid_token, token never echoed', async (_label, token) => {
		const res = await call(cloud, 'GET', '/v1/devices', token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
		expect(res.status).toBe(401);
		expect(res.body).toEqual(INVALID_TOKEN);
		if (token) expect(res.text).not.toContain(token);
	});

	test('revoked and expired tokens → 401 with the same body', async () => {
		const revoked = cloud.issueToken({ kind: 'user' });
		const expired = cloud.issueToken({ kind: 'user' });
		expect((await call(cloud, 'GET', '/v1/devices', { token: revoked })).status).toBe(200);
		cloud.revokeToken(revoked);
		cloud.expireToken(expired);
		for (const token of [revoked, expired]) {
			const res = await call(cloud, 'GET', '/v1/devices', { token });
			expect(res.status).toBe(401);
			expect(res.body).toEqual(INVALID_TOKEN);
			expect(res.text).not.toContain(token);
		}
	});

	test('a token with a 1 s lifetime stops working after it', async () => {
		// On the fake's clock, pinned: the boundary is exact and no one waits a second.
		cloud.setClock(cloud.now());
		try {
			const token = cloud.issueToken({ kind: 'product', lifetimeSeconds: 1 });
			const path = `/v1/products/${cloud.productClient.productId}/devices`;
			expect((await call(cloud, 'GET', path, { token })).status).toBe(200);
			cloud.advanceClock(999);
			expect((await call(cloud, 'GET', path, { token })).status).toBe(200);
			cloud.advanceClock(1);
			expect((await call(cloud, 'GET', path, { token })).status).toBe(401);
		} finally {
			cloud.setClock(() => Date.now());
		}
	});

	test('unknown routes are 404 even without a token; known ones 401', async () => {
		expect(await call(cloud, 'GET', '/v1/nope')).toMatchObject({ status: 404, body: { ok: false, error: 'Not Found' } });
		expect((await call(cloud, 'PATCH', '/v1/devices')).status).toBe(404);
		expect((await call(cloud, 'GET', '/v1/products')).status).toBe(401);
	});
});

describe('POST /oauth/token', () => {
	test('client_credentials via form fields → product token with the configured lifetime', async () => {
		const res = await tokenForm({ grant_type: 'client_credentials', client_id: cloud.productClient.clientId, client_secret: cloud.productClient.clientSecret });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ access_token: expect.stringMatching(/^[0-9a-f]{40}$/), token_type: 'bearer', expires_in: 120, refresh_token: expect.any(String) });
		const token = prop(res, 'access_token') as string;
		expect((await call(cloud, 'GET', `/v1/products/${cloud.productClient.productSlug}/devices`, { token })).status).toBe(200);
		// A product token is not a user token.
		expect((await call(cloud, 'GET', '/v1/devices', { token })).status).toBe(403);
	});

	test('client_credentials via HTTP Basic, with expires_in', async () => {
		const basic = Buffer.from(`${cloud.productClient.clientId}:${cloud.productClient.clientSecret}`).toString('base64');
		const res = await call(cloud, 'POST', '/oauth/token', {
			form: { grant_type: 'client_credentials', expires_in: '30' },
			headers: { authorization: `Basic ${basic}` },
		});
		expect(res.status).toBe(200);
		expect(prop(res, 'expires_in')).toBe(30);
	});

	test('a JSON body is refused with 400 invalid_request', async () => {
		const res = await call(cloud, 'POST', '/oauth/token', {
			json: { grant_type: 'client_credentials', client_id: cloud.productClient.clientId, client_secret: cloud.productClient.clientSecret },
		});
		expect(res.status).toBe(400);
		expect(prop(res, 'error')).toBe('invalid_request');
		expect(typeof prop(res, 'error_description')).toBe('string');
	});

	test('a bad client → 401 invalid_client, secret not echoed', async () => {
		const res = await tokenForm({ grant_type: 'client_credentials', client_id: cloud.productClient.clientId, client_secret: 'wrong-secret-value' });
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
		expect(res.text).not.toContain('wrong-secret-value');
	});

	test('scope=customer=<email> → a customer token for that customer; unknown customer → 400', async () => {
		const customer = cloud.fleet.products[0].customers[0].username;
		const base = { grant_type: 'client_credentials', client_id: cloud.productClient.clientId, client_secret: cloud.productClient.clientSecret };
		const res = await tokenForm({ ...base, scope: `customer=${customer}` });
		expect(res.status).toBe(200);
		const token = prop(res, 'access_token') as string;
		const mine = await call(cloud, 'GET', '/v1/devices', { token });
		expect((mine.body as Array<{ id: string }>).map((d) => d.id)).toEqual([customerDeviceId]);
		expect((await tokenForm({ ...base, scope: 'customer=nobody@example.com' })).status).toBe(400);
	});

	test('password grant for the operator via the particle clients; wrong password → 400 invalid_grant', async () => {
		for (const client of ['particle', 'particle-api']) {
			const res = await tokenForm({ grant_type: 'password', username: 'operator@example.com', password: 'fake-password', client_id: client, client_secret: client });
			expect(res.status).toBe(200);
			expect(prop(res, 'expires_in')).toBe(7776000);
		}
		const bad = await tokenForm({ grant_type: 'password', username: 'operator@example.com', password: 'nope', client_id: 'particle', client_secret: 'particle' });
		expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
	});

	test('refresh_token grant mints a new token once', async () => {
		const base = { client_id: cloud.productClient.clientId, client_secret: cloud.productClient.clientSecret };
		const first = await tokenForm({ ...base, grant_type: 'client_credentials' });
		const refresh = prop(first, 'refresh_token') as string;
		expect((await tokenForm({ ...base, grant_type: 'refresh_token', refresh_token: refresh })).status).toBe(200);
		expect((await tokenForm({ ...base, grant_type: 'refresh_token', refresh_token: refresh })).status).toBe(400);
	});

	test('missing or unknown grant types → 400', async () => {
		const base = { client_id: 'particle', client_secret: 'particle' };
		expect(await tokenForm(base)).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
		expect(await tokenForm({ ...base, grant_type: 'magic' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
	});
});

describe('GET /v1/access_tokens/current', () => {
	test.each(['user', 'apiUser', 'customer'] as const)('%s token', async (kind) => {
		const res = await call(cloud, 'GET', '/v1/access_tokens/current', { token: cloud.tokens[kind] });
		expect(res.status).toBe(200);
		expect(res.body).toEqual({
			expires_at: kind === 'apiUser' ? null : expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			client: expect.any(String),
			client_id: expect.any(String),
			scopes: kind === 'apiUser' ? ['devices:list', 'devices:get'] : [],
			orgs: kind === 'customer' ? [] : [{ id: cloud.fleet.organizations[0].id, slug: 'acme-iot' }],
		});
	});

	test('product token, and DELETE revokes the current token', async () => {
		const token = cloud.issueToken({ kind: 'product' });
		const info = await call(cloud, 'GET', '/v1/access_tokens/current', { token });
		expect(prop(info, 'client')).toBe(cloud.productClient.clientId);
		expect((await call(cloud, 'DELETE', '/v1/access_tokens/current', { token })).body).toEqual({ ok: true });
		expect((await call(cloud, 'GET', '/v1/access_tokens/current', { token })).status).toBe(401);
	});
});

describe('who may see what', () => {
	const product = (): number => cloud.productClient.productId;

	test('customer: own device via /v1/devices; someone else’s → 403; product routes → 403', async () => {
		const token = cloud.tokens.customer;
		expect((await call(cloud, 'GET', `/v1/devices/${customerDeviceId}`, { token })).status).toBe(200);
		expect(await call(cloud, 'GET', `/v1/devices/${sandboxId}`, { token })).toMatchObject({ status: 403, body: { ok: false, error: 'Permission Denied' } });
		expect((await call(cloud, 'GET', `/v1/products/${product()}/devices`, { token })).status).toBe(403);
		expect((await call(cloud, 'GET', '/v1/products', { token })).status).toBe(403);
	});

	// Reference, API users > Errors: "If an API user attempts to perform an action that it is not permitted to, a
	// standard 400 unauthorized error is returned."
	test('API user: only its scopes, only its product, no sandbox routes; every refusal is the documented 400 unauthorized', async () => {
		const token = cloud.tokens.apiUser;
		expect((await call(cloud, 'GET', `/v1/products/${product()}/devices`, { token })).status).toBe(200);
		expect((await call(cloud, 'GET', `/v1/products/${product()}/devices/${customerDeviceId}`, { token })).status).toBe(200);
		const rename = await call(cloud, 'PUT', `/v1/products/${product()}/devices/${customerDeviceId}`, { token, json: { name: 'nope' } });
		expect(rename).toMatchObject({ status: 400, body: { error: 'unauthorized' } });
		expect(String(prop(rename, 'error_description'))).toContain('devices:update');
		const variable = await call(cloud, 'GET', `/v1/products/${product()}/devices/${customerDeviceId}/temperature`, { token });
		expect(variable).toMatchObject({ status: 400, body: { error: 'unauthorized' } });
		expect(await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[1].id}/devices`, { token })).toMatchObject({ status: 400, body: { error: 'unauthorized' } });
		expect(await call(cloud, 'GET', '/v1/devices', { token })).toEqual(
			expect.objectContaining({ status: 400, body: { error: 'unauthorized', error_description: 'API users are not allowed to call this endpoint' } }),
		);
	});

	test('tokens issued with explicit scopes that are not API users keep the OAuth 403 insufficient_scope', async () => {
		const token = cloud.issueToken({ kind: 'user', scopes: ['devices:list'] });
		expect((await call(cloud, 'GET', '/v1/devices', { token })).status).toBe(200);
		expect(await call(cloud, 'PUT', `/v1/devices/${sandboxId}`, { token, json: { name: 'nope' } })).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
	});

	test('API user with the variable scope may read variables', async () => {
		const token = cloud.issueToken({ kind: 'apiUser', scopes: ['devices.variable:get'] });
		const res = await call(cloud, 'GET', `/v1/products/${product()}/devices/${customerDeviceId}/temperature`, { token });
		expect(res.status).toBe(200);
	});

	test('product token: its product only', async () => {
		const token = cloud.issueToken({ kind: 'product' });
		expect((await call(cloud, 'GET', `/v1/products/${cloud.productClient.productSlug}`, { token })).status).toBe(200);
		expect((await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[1].slug}/devices`, { token })).status).toBe(403);
		const products = await call(cloud, 'GET', '/v1/products', { token });
		expect((prop(products, 'products') as Array<{ id: number }>).map((p) => p.id)).toEqual([product()]);
	});

	test('user: sandbox and every product; a product device on the sandbox route is not its own → 403', async () => {
		const token = cloud.tokens.user;
		expect((await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[1].id}/devices/${otherProductDeviceId}`, { token })).status).toBe(200);
		expect((await call(cloud, 'GET', `/v1/devices/${otherProductDeviceId}`, { token })).status).toBe(403);
		// A device of another product through this product's route is simply not found.
		expect(await call(cloud, 'GET', `/v1/products/${product()}/devices/${otherProductDeviceId}`, { token })).toMatchObject({
			status: 404,
			body: { ok: false, error: 'Device not found.' },
		});
	});

	test('GET /v1/user for the user only', async () => {
		const res = await call(cloud, 'GET', '/v1/user', { token: cloud.tokens.user });
		expect(prop(res, 'username')).toBe('operator@example.com');
		expect((await call(cloud, 'GET', '/v1/user', { token: cloud.tokens.customer })).status).toBe(403);
	});
});

describe('POST /oauth/token: a Bearer header', () => {
	// Reference (Generate an access token): the client ID and secret go "in HTTP Basic Auth or in the client_id and
	// client_secret parameters"; a bearer token is neither.
	test('authenticates no client: alone it is 401 invalid_client, and a valid user token mints nothing', async () => {
		const bearerOnly = await call(cloud, 'POST', '/oauth/token', { token: cloud.tokens.user, form: { grant_type: 'client_credentials' } });
		expect(bearerOnly).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
		const passwordGrant = await call(cloud, 'POST', '/oauth/token', { token: cloud.tokens.user, form: { grant_type: 'password', username: 'operator@example.com', password: 'fake-password' } });
		expect(passwordGrant).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
	});

	test('is ignored next to the client in the form fields (particle-api-js sends its default token along)', async () => {
		const form = { grant_type: 'client_credentials', client_id: cloud.productClient.clientId, client_secret: cloud.productClient.clientSecret };
		const minted = await call(cloud, 'POST', '/oauth/token', { token: cloud.tokens.customer, form });
		expect(minted.status).toBe(200);
		const info = await call(cloud, 'GET', '/v1/access_tokens/current', { token: String(prop(minted, 'access_token')) });
		expect(prop(info, 'client')).toBe(cloud.productClient.clientId);
	});

	test('HTTP Basic wins over the form fields', async () => {
		const basic = `Basic ${Buffer.from(`${cloud.productClient.clientId}:${cloud.productClient.clientSecret}`).toString('base64')}`;
		const form = { grant_type: 'client_credentials', client_id: 'particle', client_secret: 'wrong' };
		expect((await call(cloud, 'POST', '/oauth/token', { headers: { authorization: basic }, form })).status).toBe(200);
	});
});

describe('POST /oauth/token: Particle’s limits', () => {
	// Reference, API rate limits > Create an access token: "Maximum of 100 requests every 5 minutes" and "If a single IP
	// address sends 10 consecutive failed create token requests, the API will block further attempts from that IP
	// address for 30 minutes."
	let limited: FakeCloud;
	const clientForm = (secret: string) => ({ grant_type: 'client_credentials', client_id: limited.productClient.clientId, client_secret: secret });
	const exchange = (secret: string) => call(limited, 'POST', '/oauth/token', { form: clientForm(secret) });
	beforeEach(async () => {
		limited = await startFakeCloud({ devices: 0, productDevices: 1, now: Date.parse('2026-03-01T00:00:00.000Z') });
	});
	afterEach(() => limited.close());

	test('10 failures in a row block the address for 30 minutes, even for the right secret; a success in between resets the count', async () => {
		const right = limited.productClient.clientSecret;
		for (let n = 0; n < 9; n++) expect((await exchange('wrong')).status).toBe(401);
		expect((await exchange(right)).status).toBe(200);
		for (let n = 0; n < 10; n++) expect((await exchange('wrong')).status).toBe(401);
		const blocked = await exchange(right);
		expect(blocked).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
		expect(blocked.headers.get('retry-after')).toBe('1800');
		limited.advanceClock(29 * 60_000);
		expect((await exchange(right)).status).toBe(429);
		limited.advanceClock(60_000);
		expect((await exchange(right)).status).toBe(200);
	});

	test('100 requests in 5 minutes, then 429 until the oldest leaves the window; refused ones do not count', async () => {
		const right = limited.productClient.clientSecret;
		for (let n = 0; n < 100; n++) expect((await exchange(right)).status).toBe(200);
		const refused = await exchange(right);
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('300');
		// The other routes have their own limit.
		expect((await call(limited, 'GET', '/v1/devices', { token: limited.tokens.user })).status).toBe(200);
		limited.advanceClock(5 * 60_000);
		expect((await exchange(right)).status).toBe(200);
	});
});
