/**
 * The Particle API credential in its three modes, through n8n's engine and request helpers, against the fake cloud.
 */
import { ParticleApi } from '../../credentials/ParticleApi.credentials';
import { apiCalls, apiUserToken, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { TestCredentialsHelper } from '../harness/credentials';
import { CREDENTIAL_ID, runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 3, productDevices: 8 });

const sandboxList = { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true };

function productList(product: number | string) {
	return {
		resource: 'device',
		operation: 'getAll',
		deviceScope: 'product',
		product: { __rl: true, mode: 'id', value: String(product) },
		returnAll: true,
	};
}

describe('Particle API credential', () => {
	it('user access token: Bearer header, no token exchange, nothing copied into the session field', async () => {
		const result = await runNode({ parameters: sandboxList, credentials: userToken(cloud()) });

		expect(result.status).toBe('success');
		const [call] = apiCalls(cloud());
		expect(call).toMatchObject({ method: 'GET', path: '/v1/devices', authorization: `Bearer ${cloud().tokens.user}` });
		expect(call.query).toEqual({});
		expect(tokenExchanges(cloud())).toHaveLength(0);
		expect(result.credentialsHelper.preAuthenticationCalls).toBe(1);
		expect(result.credentialsHelper.store.get(CREDENTIAL_ID)?.sessionToken).toBe('');
		expect(result.items).toHaveLength(3);
	});

	it('API user token: Bearer header on a product route', async () => {
		const { productId } = cloud().productClient;
		const result = await runNode({ parameters: productList(productId), credentials: apiUserToken(cloud()) });

		expect(result.status).toBe('success');
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'GET',
			path: `/v1/products/${productId}/devices`,
			authorization: `Bearer ${cloud().tokens.apiUser}`,
		});
		expect(result.items).toHaveLength(8);
	});

	it('a customer token works in user token mode and sees only its own devices', async () => {
		const result = await runNode({
			parameters: sandboxList,
			credentials: { ...userToken(cloud()), accessToken: cloud().tokens.customer },
		});
		expect(result.status).toBe('success');
		expect(apiCalls(cloud())[0].authorization).toBe(`Bearer ${cloud().tokens.customer}`);
		expect(result.items.length).toBeGreaterThanOrEqual(1);
		const sandboxIds = new Set(cloud().fleet.sandboxDevices().map((device) => device.id));
		expect(result.items.every((item) => !sandboxIds.has(item.json.id as string))).toBe(true);
	});

	it('product OAuth client: one token exchange for many items, reused on the next run', async () => {
		const { productId, clientId, clientSecret } = cloud().productClient;
		const credentialsHelper = new TestCredentialsHelper();
		const first = await runNode({
			parameters: productList(productId),
			credentials: productClient(cloud(), 900),
			items: [{}, {}, {}],
			credentialsHelper,
		});

		expect(first.status).toBe('success');
		expect(first.items).toHaveLength(24);
		const [exchange] = tokenExchanges(cloud());
		expect(tokenExchanges(cloud())).toHaveLength(1);
		expect(exchange.method).toBe('POST');
		expect(exchange.contentType).toMatch(/^application\/x-www-form-urlencoded/);
		expect(exchange.body).toEqual({ grant_type: 'client_credentials', expires_in: '900' });
		expect(exchange.authorization).toBe(`Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
		expect(exchange.query).toEqual({});

		const minted = credentialsHelper.store.get(CREDENTIAL_ID)?.sessionToken as string;
		expect(minted).toMatch(/^[0-9a-f]{40}$/);
		expect(apiCalls(cloud())).toHaveLength(3);
		for (const call of apiCalls(cloud())) expect(call.authorization).toBe(`Bearer ${minted}`);

		cloud().clearRequests();
		const second = await runNode({ parameters: productList(productId), credentials: {}, credentialsHelper });
		expect(second.status).toBe('success');
		expect(tokenExchanges(cloud())).toHaveLength(0);
		expect(apiCalls(cloud())[0].authorization).toBe(`Bearer ${minted}`);
	});

	it('product OAuth client: an expired token gets a 401, a new token, and one retry', async () => {
		const { productId } = cloud().productClient;
		const credentialsHelper = new TestCredentialsHelper();
		await runNode({ parameters: productList(productId), credentials: productClient(cloud()), credentialsHelper });
		const oldToken = credentialsHelper.store.get(CREDENTIAL_ID)?.sessionToken as string;
		cloud().expireToken(oldToken);
		cloud().clearRequests();

		const result = await runNode({ parameters: productList(productId), credentials: {}, credentialsHelper });

		expect(result.status).toBe('success');
		const newToken = credentialsHelper.store.get(CREDENTIAL_ID)?.sessionToken as string;
		expect(newToken).not.toBe(oldToken);
		expect(cloud().requests.map((request) => [request.path, request.status, request.authorization])).toEqual([
			[`/v1/products/${productId}/devices`, 401, `Bearer ${oldToken}`],
			['/oauth/token', 200, expect.stringMatching(/^Basic /)],
			[`/v1/products/${productId}/devices`, 200, `Bearer ${newToken}`],
		]);
	});

	it('product OAuth client: a wrong secret fails clearly, and the secret appears nowhere', async () => {
		const secret = 'wrong-secret-0123456789-do-not-leak';
		const result = await runNode({
			parameters: productList(cloud().productClient.productId),
			credentials: { ...productClient(cloud()), clientSecret: secret },
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Particle refused the product OAuth client \(HTTP 401, invalid_client/);
		expect(result.error?.description).toMatch(/Particle API credential/);
		expect(apiCalls(cloud())).toHaveLength(0);
		expect(JSON.stringify(result.run ?? null)).not.toContain(secret);
		expect(JSON.stringify(result.run ?? null)).not.toContain(Buffer.from(`${cloud().productClient.clientId}:${secret}`).toString('base64'));
	});

	it('a revoked user token fails with what to do, and the token appears nowhere', async () => {
		const token = cloud().issueToken({ kind: 'user' });
		cloud().revokeToken(token);
		const result = await runNode({ parameters: sandboxList, credentials: { ...userToken(cloud()), accessToken: token } });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Particle did not accept the access token: The access token provided is invalid.: invalid_token',
		);
		expect(result.error?.description).toMatch(/Update the Particle API credential/);
		// n8n retries once after a 401 (its refresh path); a static token makes no exchange.
		expect(apiCalls(cloud()).map((call) => call.status)).toEqual([401, 401]);
		expect(tokenExchanges(cloud())).toHaveLength(0);
		expect(JSON.stringify(result.run ?? null)).not.toContain(token);
	});

	describe('credential test request', () => {
		const { test } = new ParticleApi();
		const path = String(test.request.url);

		it.each(['user', 'apiUser', 'customer', 'product'] as const)('succeeds for a %s token', async (kind) => {
			const token =
				kind === 'product'
					? cloud().issueToken({ kind: 'product', productId: cloud().productClient.productId })
					: cloud().tokens[kind];
			const response = await fetch(`${cloud().url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
			expect(response.status).toBe(200);
		});

		it('fails with 401 for a bad token', async () => {
			const response = await fetch(`${cloud().url}${path}`, { headers: { Authorization: 'Bearer nope' } });
			expect(response.status).toBe(401);
		});
	});
});
