/**
 * The Particle API credential in its three modes, through n8n's engine and request helpers, against the fake cloud;
 * and its credential test as n8n 2.41 runs it (the Test button of the credential dialog).
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, INode, INodeType } from 'n8n-workflow';
import { createEmptyRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { ParticleApi } from '../../credentials/ParticleApi.credentials';
import { apiCalls, apiUserToken, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { TestCredentialsHelper } from '../harness/credentials';
import { additionalDataFor, CREDENTIAL_ID, runNode } from '../harness/engine';
import { nodeTypes, registerNodeType } from '../harness/nodeTypes';

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
		// Particle's two texts joined by one mark: "…is invalid." + "invalid_token".
		expect(result.error?.message).toBe('Particle did not accept the access token: The access token provided is invalid: invalid_token');
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

/**
 * What n8n 2.41 does when the credential dialog's Test button is pressed, for a credential with a `test` request
 * (CredentialsTester.runRequestTest in n8n's services/credentials-tester.service.js): the request goes through a
 * RoutingNode of a stand-in node with the credential's helpers; a failure becomes the first `responseCode` rule for
 * its status, else the HTTP status text, else the cause's `code`, else the error's message.
 */
const TEST_NODE_TYPE = 'n8n-nodes-base.noOp';

async function pressTest(data: ICredentialDataDecryptedObject): Promise<{ status: 'OK' | 'Error'; message: string }> {
	const { test } = new ParticleApi();
	const nodeType = {
		description: {
			displayName: 'No Operation',
			name: TEST_NODE_TYPE,
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: 'particleApi', required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		},
	} as INodeType;
	registerNodeType(TEST_NODE_TYPE, nodeType);
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: TEST_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
	};
	
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const helper = new TestCredentialsHelper();
	helper.store.set(CREDENTIAL_ID, { sessionToken: '', ...data });
	const context = new ExecuteContext(workflow, node, additionalDataFor(helper), 'internal', createEmptyRunExecutionData(), 0, [], { main: [[{ json: {} }]] }, { node, data: {}, source: null }, []);
	const decrypted: ICredentialsDecrypted = { id: CREDENTIAL_ID, name: 'Particle account', type: 'particleApi', data: { sessionToken: '', ...data } };
	try {
		await workflow.expression.acquireIsolate();
		await new RoutingNode(context, nodeType, decrypted).runNode();
	} catch (caught) {
		const error = caught as Error & { cause?: { response?: { status: number; statusText?: string }; code?: string } };
		const response = error.cause?.response;
		if (response) {
			const rule = test.rules?.find((candidate) => candidate.type === 'responseCode' && candidate.properties.value === response.status);
			if (rule && rule.type === 'responseCode') return { status: 'Error', message: rule.properties.message };
			return { status: 'Error', message: response.statusText || `Received HTTP status code: ${response.status}` };
		}
		if (error.cause?.code) return { status: 'Error', message: error.cause.code };
		return { status: 'Error', message: error.message };
	} finally {
		await workflow.expression.releaseIsolate();
	}
	return { status: 'OK', message: 'Connection successful!' };
}

describe('the credential test (the Test button), as n8n 2.41 runs it', () => {
	it.each([
		['a user access token', () => userToken(cloud())],
		['an API user token', () => apiUserToken(cloud())],
		['a product OAuth client', () => productClient(cloud())],
	])('passes for %s', async (_name, credentials) => {
		await expect(pressTest(credentials())).resolves.toEqual({ status: 'OK', message: 'Connection successful!' });
	});

	it.each([
		['User Access Token', () => ({ ...userToken(cloud()), accessToken: 'f'.repeat(40) }), /User Access Token: create a new one with "particle token create"/],
		['API User Token', () => apiUserToken(cloud(), 'e'.repeat(40)), /API User Token: Particle shows an API user's token only once/],
	])('a refused %s says what Particle answered and where to get a working token (not "Unauthorized")', async (_mode, credentials, fix) => {
		const result = await pressTest(credentials());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Particle did not accept the token \(HTTP 401: invalid, expired or revoked\)/);
		expect(result.message).toMatch(fix);
		// n8n sends it once more after a 401 (its refresh path); a static token makes no exchange.
		expect(apiCalls(cloud()).map((call) => [call.path, call.status])).toEqual([
			['/v1/access_tokens/current', 401],
			['/v1/access_tokens/current', 401],
		]);
		expect(tokenExchanges(cloud())).toHaveLength(0);
	});

	it('a refused product OAuth client names the mode, Particle’s words and where to fix it, with no secret', async () => {
		const secret = 'wrong-secret-0123456789-do-not-leak';
		const result = await pressTest({ ...productClient(cloud()), clientSecret: secret });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Particle refused the product OAuth client \(HTTP 401, invalid_client: Client authentication failed\)\. Check the client ID and client secret .*Console > your product > Authentication/,
		);
		expect(result.message).not.toContain(secret);
		expect(tokenExchanges(cloud())).toHaveLength(1);
		expect(apiCalls(cloud())).toHaveLength(0);
	});

	it('a 403 names the customers:create client; a Base URL that is no Particle Cloud is said so', async () => {
		cloud().injectFault({ path: '/v1/access_tokens/current', status: 403 });
		const refused = await pressTest(userToken(cloud()));
		expect(refused).toEqual({ status: 'Error', message: expect.stringMatching(/HTTP 403.*not one scoped to customers:create/) });

		const elsewhere = await pressTest({ ...userToken(cloud()), baseUrl: `${cloud().url}/not-particle` });
		expect(elsewhere).toEqual({ status: 'Error', message: expect.stringMatching(/^The Base URL answered 404 for \/v1\/access_tokens\/current/) });
	});
});
