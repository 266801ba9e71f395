/** Customers: create, list, tokens, password, delete, claim codes, through n8n's engine against the fake cloud. */
import { apiCalls, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 2, productDevices: 4 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const product = () => rl('id', String(cloud().productClient.productId));
const productPathPrefix = () => `/v1/products/${cloud().productClient.productId}`;

describe('Customer', () => {
	it('creates a shadow customer with the product client and returns its token', async () => {
		const email = `shadow-${Date.now()}@example.com`;
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'create', product: product(), customer: email },
			credentials: productClient(cloud()),
		});

		expect(result.status).toBe('success');
		const [call] = apiCalls(cloud());
		expect(call).toMatchObject({ method: 'POST', path: `${productPathPrefix()}/customers` });
		expect(call.contentType).toMatch(/^application\/x-www-form-urlencoded/);
		expect(call.body).toEqual({
			client_id: cloud().productClient.clientId,
			client_secret: cloud().productClient.clientSecret,
			email,
			no_password: 'true',
		});
		expect(call.query).toEqual({});
		expect(result.items[0].json).toMatchObject({ customer: email, access_token: expect.stringMatching(/^[0-9a-f]{40}$/) });
		const token = String(result.items[0].json.access_token);
		const devices = await fetch(`${cloud().url}/v1/devices`, { headers: { Authorization: `Bearer ${token}` } });
		expect(devices.status).toBe(200);
	});

	it('says clearly that customer creation needs the product OAuth client', async () => {
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'create', product: product(), customer: 'x@example.com' },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('This operation needs a product OAuth client');
		expect(result.error?.description).toMatch(/Product OAuth Client/);
		expect(cloud().requests).toHaveLength(0);
	});

	it('lists customers across pages, up to a limit', async () => {
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'getAll', product: product(), returnAll: true },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'GET', path: `${productPathPrefix()}/customers`, query: { page: '1', per_page: '100' } });
		expect(result.items.length).toBeGreaterThanOrEqual(2);
		expect(result.items[0].json).toHaveProperty('username');

		cloud().clearRequests();
		const limited = await runNode({
			parameters: { resource: 'customer', operation: 'getAll', product: product(), limit: 1 },
			credentials: userToken(cloud()),
		});
		expect(limited.items).toHaveLength(1);
		expect(apiCalls(cloud())[0].query).toEqual({ page: '1', per_page: '1' });
	});

	it('mints a customer token with the chosen lifetime', async () => {
		const [existing] = cloud().fleet.products[0].customers;
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createToken', product: product(), customer: existing.username, expiresIn: 600 },
			credentials: productClient(cloud()),
		});
		const exchanges = tokenExchanges(cloud());
		const customerExchange = exchanges.find((call) => (call.body as Record<string, string>).scope !== undefined)!;
		expect(customerExchange.body).toMatchObject({ grant_type: 'client_credentials', scope: `customer=${existing.username}`, expires_in: '600' });
		expect(result.items[0].json).toMatchObject({ customer: existing.username, access_token: expect.any(String), expires_in: 600 });
	});

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

	it('creates a claim code for a customer, asking as that customer', async () => {
		const [existing] = cloud().fleet.products[0].customers;
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createClaimCode', product: product(), customer: existing.username },
			credentials: productClient(cloud()),
		});

		expect(result.status).toBe('success');
		const claim = apiCalls(cloud()).find((call) => call.path.endsWith('/device_claims'))!;
		expect(claim.method).toBe('POST');
		expect(claim.path).toBe(`${productPathPrefix()}/device_claims`);
		const minted = tokenExchanges(cloud()).find((call) => (call.body as Record<string, string>).scope === `customer=${existing.username}`);
		expect(minted).toBeDefined();
		expect(claim.authorization).toMatch(/^Bearer [0-9a-f]{40}$/);
		expect(result.items[0].json).toEqual({ customer: existing.username, claim_code: expect.any(String), device_ids: expect.any(Array) });
		expect(JSON.stringify(result.items)).not.toContain(String(claim.authorization).slice(7));
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
