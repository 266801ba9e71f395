/**
 * Customers: create, list, tokens, password, delete, claim codes, through n8n's engine against the fake cloud. What
 * reached the cloud is checked as Particle's reference describes it: the product client's ID and secret as HTTP Basic
 * and no bearer token for creating customers and customer tokens; a customer token for a product claim code.
 */
import type { RecordedRequest } from '../../fake-cloud';
import { Particle } from '../../nodes/Particle/Particle.node';
import { apiCalls, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 2, productDevices: 4 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const product = () => rl('id', String(cloud().productClient.productId));
const productPathPrefix = () => `/v1/products/${cloud().productClient.productId}`;
const clientBasic = () => `Basic ${Buffer.from(`${cloud().productClient.clientId}:${cloud().productClient.clientSecret}`).toString('base64')}`;
const scopeOf = (call: RecordedRequest) => (call.body as Record<string, string> | undefined)?.scope;
/** The customer token requests (the credential's own product-token exchange has no scope). */
const customerExchanges = () => tokenExchanges(cloud()).filter((call) => scopeOf(call) !== undefined);

/** Signed with the client itself, as the reference documents: HTTP Basic, form encoded, no token, no marker. */
function expectClientSigned(call: RecordedRequest): void {
	expect(call.authorization).toBe(clientBasic());
	expect(call.contentType).toMatch(/^application\/x-www-form-urlencoded/);
	expect(Object.keys(call.headers).filter((name) => name.startsWith('x-n8n'))).toEqual([]);
	expect(call.rawBody).not.toContain(cloud().productClient.clientSecret);
	expect(call.query).toEqual({});
}

describe('Customer > Create', () => {
	it('creates a shadow customer with the product client as HTTP Basic, no bearer token, and returns its token', async () => {
		const email = `shadow-${Date.now()}@example.com`;
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'create', product: product(), customer: email },
			credentials: productClient(cloud()),
		});

		expect(result.status).toBe('success');
		const [call] = apiCalls(cloud());
		expect(call).toMatchObject({ method: 'POST', path: `${productPathPrefix()}/customers`, status: 201 });
		expectClientSigned(call);
		expect(call.body).toEqual({ email, no_password: 'true' });
		expect(result.items).toEqual([
			{ json: expect.objectContaining({ customer: email, access_token: expect.stringMatching(/^[0-9a-f]{40}$/) }), pairedItem: { item: 0 } },
		]);
		const devices = await fetch(`${cloud().url}/v1/devices`, { headers: { Authorization: `Bearer ${String(result.items[0].json.access_token)}` } });
		expect(devices.status).toBe(200);
	});

	it('says clearly that customer creation needs the product OAuth client, and sends nothing', async () => {
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'create', product: product(), customer: 'x@example.com' },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('This operation needs a product OAuth client');
		expect(result.error?.description).toMatch(/Product OAuth Client/);
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('Customer > Get Many', () => {
	it('lists customers up to a limit', async () => {
		const limited = await runNode({
			parameters: { resource: 'customer', operation: 'getAll', product: product(), limit: 1 },
			credentials: userToken(cloud()),
		});
		expect(limited.items).toHaveLength(1);
		expect(limited.items[0].json).toHaveProperty('username');
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'GET', path: `${productPathPrefix()}/customers` });
	});

	it('returns each customer once from a cloud that ignores page (the list documents no paging) and reports several pages', async () => {
		for (let n = 0; n < 30; n++) cloud().issueToken({ kind: 'customer', customer: `bulk-${n}@example.com` });
		const expected = cloud().fleet.products[0].customers.map((customer) => customer.username);
		expect(expected.length).toBeGreaterThan(25);

		const result = await runNode({
			parameters: { resource: 'customer', operation: 'getAll', product: product(), returnAll: true },
			credentials: userToken(cloud()),
		});

		expect(result.status).toBe('success');
		const usernames = result.items.map((item) => item.json.username);
		expect(usernames).toEqual(expected);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(result.items.length);
		expect(new Set(result.items.map((item) => JSON.stringify(item.pairedItem)))).toEqual(new Set([JSON.stringify({ item: 0 })]));
	});
});

describe('Customer > Create Token', () => {
	it('mints with the product client as HTTP Basic and no bearer token, with the chosen lifetime', async () => {
		const [existing] = cloud().fleet.products[0].customers;
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createToken', product: product(), customer: existing.username, expiresIn: 600 },
			credentials: productClient(cloud()),
		});
		const [exchange] = customerExchanges();
		expect(customerExchanges()).toHaveLength(1);
		expectClientSigned(exchange);
		expect(exchange.body).toEqual({ grant_type: 'client_credentials', scope: `customer=${existing.username}`, expires_in: '600' });
		expect(result.items[0].json).toMatchObject({ customer: existing.username, access_token: expect.any(String), expires_in: 600 });
	});

	it('has no Product field (the token is for the OAuth client\'s product), and a saved workflow with one still runs', async () => {
		const shownFor = (operation: string) =>
			new Particle().description.properties.filter((property) => property.displayOptions?.show?.resource?.includes('customer') && property.displayOptions.show.operation?.includes(operation)).map((property) => property.name);
		expect(shownFor('createToken')).toEqual(['customer', 'expiresIn']);
		expect(shownFor('getAll')).toContain('product');

		const [existing] = cloud().fleet.products[0].customers;
		for (const parameters of [
			{ resource: 'customer', operation: 'createToken', customer: existing.username, expiresIn: 600 },
			// An older workflow's product, even one no longer valid: never read, never sent.
			{ resource: 'customer', operation: 'createToken', product: rl('id', 'not a product!'), customer: existing.username, expiresIn: 600 },
		]) {
			cloud().clearRequests();
			const result = await runNode({ parameters, credentials: productClient(cloud()) });
			expect(result.items[0].json).toMatchObject({ customer: existing.username, access_token: expect.any(String) });
			expect(customerExchanges().map((call) => call.body)).toEqual([{ grant_type: 'client_credentials', scope: `customer=${existing.username}`, expires_in: '600' }]);
			expect(apiCalls(cloud()).filter((call) => call.path.startsWith('/v1/products'))).toEqual([]);
		}
	});

	it('after Particle refuses the client, sends no more token requests in the run: later items fail at once, saying why', async () => {
		const secret = 'wrong-secret-0123456789-do-not-leak';
		const items = Array.from({ length: 12 }, (_, n) => ({ email: `customer${n}@example.com` }));
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createToken', product: product(), customer: '={{ $json.email }}', expiresIn: 600 },
			credentials: { ...productClient(cloud()), clientSecret: secret },
			items,
			continueOnFail: true,
		});

		// Without the stop, each item would send one: the fake (Particle's limits) blocks the 11th for 30 minutes.
		expect(tokenExchanges(cloud()).map((call) => call.status)).toEqual([401]);
		expect(result.items).toHaveLength(12);
		expect(result.items[0].json.error).toMatch(/^Particle refused the product OAuth client \(HTTP 401/);
		for (const item of result.items.slice(1)) {
			expect(item.json).toEqual({
				error: 'Not sent: Particle refused the product OAuth client earlier in this run',
				description: expect.stringMatching(/blocks an IP address for 30 minutes after 10 failed token requests in a row.*Nothing was sent for this item\.$/s),
			});
		}
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(JSON.stringify([result.items, result.run ?? null])).not.toContain(secret);
	});

	it('stops after 5 failed token requests in a row (half of the lockout), counting only what Particle refused', async () => {
		const items = Array.from({ length: 8 }, (_, n) => ({ email: `nobody-${n}@nowhere.example` }));
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createToken', product: product(), customer: '={{ $json.email }}', expiresIn: 600 },
			credentials: productClient(cloud()),
			items,
			continueOnFail: true,
		});

		expect(customerExchanges().map((call) => [scopeOf(call), call.status])).toEqual(
			items.slice(0, 5).map((item) => [`customer=${item.email}`, 400]),
		);
		for (const item of result.items.slice(0, 5)) expect(item.json.error).toMatch(/^Particle rejected the request as invalid/);
		for (const item of result.items.slice(5)) {
			expect(item.json.error).toBe('Not sent: 5 customer token requests failed in a row in this run');
			expect(item.json.description).toMatch(/The last failure: Particle rejected the request as invalid/);
		}
	});
});

describe('Customer > Create Claim Code', () => {
	it('asks as that customer, minting its token once per run however often the customer repeats; the token is never output', async () => {
		const [first, second] = cloud().fleet.products[0].customers;
		const items = [{ email: first.username }, { email: first.username }, { email: second.username }, { email: first.username }];
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createClaimCode', product: product(), customer: '={{ $json.email }}' },
			credentials: productClient(cloud()),
			items,
		});

		expect(result.status).toBe('success');
		const exchanges = customerExchanges();
		expect(exchanges.map(scopeOf)).toEqual([`customer=${first.username}`, `customer=${second.username}`]);
		for (const exchange of exchanges) expectClientSigned(exchange);
		const claims = apiCalls(cloud()).filter((call) => call.path === `${productPathPrefix()}/device_claims`);
		expect(claims.map((call) => call.status)).toEqual([200, 200, 200, 200]);
		const tokens = claims.map((call) => String(call.authorization));
		// Items run side by side, so the claims arrive in any order: each is paired with the code the fake made for it.
		const owners = cloud().fleet.claimCodes.slice(-4).map((code) => code.owner);
		expect([...owners].sort()).toEqual(items.map((item) => item.email).sort());
		const tokensOf = (owner: string) => new Set(tokens.filter((_, index) => owners[index] === owner));
		expect(tokens.every((token) => /^Bearer [0-9a-f]{40}$/.test(token))).toBe(true);
		expect(tokensOf(first.username).size).toBe(1);
		expect(tokensOf(second.username).size).toBe(1);
		expect([...tokensOf(second.username)][0]).not.toBe([...tokensOf(first.username)][0]);
		expect(result.items.map((item) => item.json)).toEqual(
			items.map((item) => ({ customer: item.email, claim_code: expect.any(String), device_ids: expect.any(Array) })),
		);
		const output = JSON.stringify(result.items);
		for (const token of new Set(tokens)) expect(output).not.toContain(token.slice(7));
	});
});

describe('Customer > Update Password and Delete', () => {
	it('updates a password without ever outputting it, and deletes a customer (its token dies)', async () => {
		const email = `temp-${Date.now()}@example.com`;
		const created = await runNode({
			parameters: { resource: 'customer', operation: 'create', product: product(), customer: email },
			credentials: productClient(cloud()),
		});
		const customerToken = String(created.items[0].json.access_token);
		cloud().clearRequests();

		const password = 'N3w-Secret-Password!';
		const updated = await runNode({
			parameters: { resource: 'customer', operation: 'updatePassword', product: product(), customer: email, password },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'PUT',
			path: `${productPathPrefix()}/customers/${encodeURIComponent(email)}`,
			body: { password },
		});
		expect(updated.items[0].json).toMatchObject({ customer: email, passwordUpdated: true });
		expect(JSON.stringify(updated.items)).not.toContain(password);

		cloud().clearRequests();
		const deleted = await runNode({
			parameters: { resource: 'customer', operation: 'delete', product: product(), customer: email },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'DELETE', path: `${productPathPrefix()}/customers/${encodeURIComponent(email)}` });
		expect(deleted.items[0].json).toMatchObject({ customer: email, deleted: true });
		const after = await fetch(`${cloud().url}/v1/devices`, { headers: { Authorization: `Bearer ${customerToken}` } });
		expect(after.status).toBe(401);
	});

	it('keeps the client secret out of outputs and errors', async () => {
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createToken', product: product(), customer: 'nobody@nowhere.example' },
			credentials: productClient(cloud()),
			continueOnFail: true,
		});
		const everything = JSON.stringify([result.items, result.error?.message, result.error?.description, result.run ?? null]);
		expect(result.items[0].json.error).toBeDefined();
		expect(everything).not.toContain(cloud().productClient.clientSecret);
	});
});
