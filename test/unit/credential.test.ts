/**
 * The Particle API credential as code: what `authenticate` puts on a request and where it refuses to, what the token
 * exchange sends and what its errors carry, and the one Base URL fallback.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { ParticleApi } from '../../credentials/ParticleApi.credentials';
import { SIGN_WITH_PRODUCT_CLIENT, SIGN_WITH_PRODUCT_CLIENT_HEADER } from '../../nodes/shared/productClientSigning';
import { DEFAULT_BASE_URL, resolveBaseUrl } from '../../nodes/shared/baseUrl';
import { nodeTypes } from '../harness/nodeTypes';

const credential = new ParticleApi();
const TOKEN = 'a'.repeat(40);
const user = (extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject => ({
	authMode: 'accessToken',
	accessToken: TOKEN,
	baseUrl: 'https://api.particle.io',
	...extra,
});

async function authenticate(credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions & { uri?: string }) {
	if (typeof credential.authenticate !== 'function') throw new Error('authenticate must be code, not an expression');
	return (await credential.authenticate(credentials, options)) as IHttpRequestOptions & Record<string, unknown>;
}

describe('authenticate', () => {
	it('is code, so it works after an activation, when n8n evaluates no expression', () => {
		expect(typeof credential.authenticate).toBe('function');
	});

	it.each([
		['a user token', user(), TOKEN],
		['an API-user token', user({ authMode: 'apiUserToken', apiUserToken: 'b'.repeat(40) }), 'b'.repeat(40)],
		['the product client', user({ authMode: 'oauthClient', sessionToken: 'c'.repeat(40) }), 'c'.repeat(40)],
	])('signs with %s and never follows a redirect', async (_name, credentials, token) => {
		const signed = await authenticate(credentials, { url: 'https://api.particle.io/v1/devices', headers: { Accept: 'application/json' } });
		expect(signed.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${token}` });
		expect(signed).toMatchObject({ disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false });
	});

	it("also stops the legacy request (n8n's HTTP Request node with this credential) from following redirects", async () => {
		const signed = await authenticate(user(), { uri: 'https://api.particle.io/v1/devices' } as IHttpRequestOptions & { uri: string });
		expect(signed).toMatchObject({ followRedirect: false, followAllRedirects: false, disableFollowRedirect: true });
	});

	it.each([
		['another host', { url: 'https://evil.example/v1/devices' }],
		['another scheme', { url: 'http://api.particle.io/v1/devices' }],
		['another port', { url: 'https://api.particle.io:8443/v1/devices' }],
		['a baseURL elsewhere', { baseURL: 'https://evil.example', url: '/v1/devices' }],
	])('refuses to put the token on a request to %s', async (_name, options) => {
		await expect(authenticate(user(), options as IHttpRequestOptions)).rejects.toThrow(/only sent to its Base URL \(https:\/\/api\.particle\.io\)/);
	});

	it('signs a relative URL against the Base URL, as the credential test sends it', async () => {
		const signed = await authenticate(user({ baseUrl: 'http://127.0.0.1:4010/' }), { baseURL: 'http://127.0.0.1:4010', url: '/v1/access_tokens/current' });
		expect(signed.headers?.Authorization).toBe(`Bearer ${TOKEN}`);
	});
});

describe('authenticate, for the two requests Particle wants signed by the product client itself', () => {
	const client = user({ authMode: 'oauthClient', clientId: 'my-client', clientSecret: 'sup3r-s3cret-value', sessionToken: 'c'.repeat(40) });
	const marked = (extra: Record<string, string> = {}) => ({ Accept: 'application/json', [SIGN_WITH_PRODUCT_CLIENT_HEADER]: SIGN_WITH_PRODUCT_CLIENT, ...extra });

	it.each([['/oauth/token'], ['/v1/products/my-product/customers'], ['/v1/products/12345/customers']])(
		'POST %s: HTTP Basic with the client ID and secret, no bearer token, and the marker removed',
		async (path) => {
			const signed = await authenticate(client, { method: 'POST', url: `https://api.particle.io${path}`, headers: marked({ Authorization: 'Bearer stale' }) });
			expect(signed.auth).toEqual({ username: 'my-client', password: 'sup3r-s3cret-value' });
			expect(signed.headers).toEqual({ Accept: 'application/json' });
			expect(signed).toMatchObject({ disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false });
		},
	);

	it('under a Base URL with a path, the paths are read below it', async () => {
		const credentials = { ...client, baseUrl: 'https://cloud.example/particle/' };
		const signed = await authenticate(credentials, { method: 'POST', url: 'https://cloud.example/particle/oauth/token', headers: marked() });
		expect(signed.auth).toEqual({ username: 'my-client', password: 'sup3r-s3cret-value' });
		await expect(authenticate(credentials, { method: 'POST', url: 'https://cloud.example/oauth/token', headers: marked() })).rejects.toThrow(
			/only to create a customer or a customer token/,
		);
	});

	it.each([
		['a GET', { method: 'GET' as const, url: 'https://api.particle.io/oauth/token' }],
		['another path', { method: 'POST' as const, url: 'https://api.particle.io/v1/devices' }],
		['a customer of a customer', { method: 'POST' as const, url: 'https://api.particle.io/v1/products/p/customers/x' }],
	])('refuses the client ID and secret for %s', async (_name, options) => {
		await expect(authenticate(client, { ...options, headers: marked() })).rejects.toThrow(
			"The product OAuth client's ID and secret are sent only to create a customer or a customer token",
		);
	});

	it('refuses them when the credential is not a product OAuth client, naming the mode to pick', async () => {
		await expect(authenticate(user(), { method: 'POST', url: 'https://api.particle.io/oauth/token', headers: marked() })).rejects.toThrow(
			/needs the product OAuth client: set the Particle API credential to "Product OAuth Client"/,
		);
	});

	it('without the marker: the bearer token, replacing any Authorization the caller set, whatever its case', async () => {
		const signed = await authenticate(client, { url: 'https://api.particle.io/v1/devices', headers: { authorization: 'Basic x', Accept: 'application/json' } });
		expect(signed.headers).toEqual({ Accept: 'application/json', Authorization: `Bearer ${'c'.repeat(40)}` });
		expect(signed.auth).toBeUndefined();
	});
});

describe('the credential’s descriptions', () => {
	it('say that a client scoped to customers:create gives tokens that cannot read devices', () => {
		const clientId = credential.properties.find((property) => property.name === 'clientId');
		expect(clientId?.description).toMatch(/scoped to customers:create .*cannot read or control devices: Particle answers 403/);
		const mode = credential.properties.find((property) => property.name === 'authMode')?.options?.find((option) => 'value' in option && option.value === 'oauthClient');
		expect(mode && 'description' in mode ? mode.description : '').toMatch(/scoped to customers:create only gives tokens that cannot read devices/);
	});
});

describe('the token exchange (product OAuth client)', () => {
	const client = user({ authMode: 'oauthClient', clientId: 'my-client', clientSecret: 'sup3r-s3cret-value', expiresIn: 600, baseUrl: '' });

	function helperAnswering(answer: (options: IHttpRequestOptions) => unknown): { helper: IHttpRequestHelper; sent: IHttpRequestOptions[] } {
		const sent: IHttpRequestOptions[] = [];
		return {
			sent,
			helper: {
				helpers: {
					httpRequest: async (options: IHttpRequestOptions) => {
						sent.push(options);
						return answer(options);
					},
				},
			} as IHttpRequestHelper,
		};
	}

	it("goes to Particle's cloud when the Base URL is empty, as Basic auth, form encoded, without following redirects", async () => {
		const { helper, sent } = helperAnswering(() => ({ access_token: 'd'.repeat(40), expires_in: 600 }));
		await expect(credential.preAuthentication?.call(helper, client)).resolves.toEqual({ sessionToken: 'd'.repeat(40) });
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({
			method: 'POST',
			url: `${DEFAULT_BASE_URL}/oauth/token`,
			auth: { username: 'my-client', password: 'sup3r-s3cret-value' },
			body: 'grant_type=client_credentials&expires_in=600',
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		});
	});

	it('makes no call for the static-token modes', async () => {
		const { helper, sent } = helperAnswering(() => ({}));
		await expect(credential.preAuthentication?.call(helper, user())).resolves.toEqual({});
		expect(sent).toEqual([]);
	});

	it("fails with the status and Particle's words, and none of the credential's secrets even when the server echoes them", async () => {
		const { helper } = helperAnswering(() => {
			throw Object.assign(new Error('Request failed with status code 401'), {
				response: { status: 401, data: { error: 'invalid_client', error_description: 'Client sup3r-s3cret-value of my-client is not valid' } },
				config: { auth: { password: 'sup3r-s3cret-value' } },
			});
		});
		const failure = (await credential.preAuthentication?.call(helper, client).catch((error: unknown) => error)) as Error & { httpCode?: string };
		expect(failure.name).toBe('ParticleTokenExchangeError');
		expect(failure.httpCode).toBe('401');
		// n8n's credential test shows the code of a failure that has no HTTP response: it is the message itself.
		expect((failure as Error & { code?: string }).code).toBe(failure.message);
		expect(failure.message).toMatch(/^Particle refused the product OAuth client \(HTTP 401, invalid_client: Client \[redacted\] of \[redacted\] is not valid\)/);
		expect(JSON.stringify({ ...failure, message: failure.message, stack: failure.stack })).not.toContain('sup3r-s3cret-value');
	});

	it('says a redirect was refused, without following it', async () => {
		const { helper } = helperAnswering(() => {
			throw Object.assign(new Error('Request failed with status code 307'), { response: { status: 307, headers: { location: 'https://evil.example/oauth/token' } } });
		});
		await expect(credential.preAuthentication?.call(helper, client)).rejects.toThrow(/redirect \(HTTP 307\); the client ID and secret are never sent after a redirect/);
	});
});

describe('the Base URL', () => {
	it.each([
		['', DEFAULT_BASE_URL],
		['   ', DEFAULT_BASE_URL],
		['https://api.particle.io/', 'https://api.particle.io'],
		['http://127.0.0.1:4010//', 'http://127.0.0.1:4010'],
		['https://cloud.example/particle/', 'https://cloud.example/particle'],
	])('%p is read as %p', (value, expected) => {
		expect(resolveBaseUrl(value)).toBe(expected);
	});

	it.each([['ftp://api.particle.io'], ['api.particle.io'], ['https://user:pw@api.particle.io'], ['https://api.particle.io/?x=1'], ['https://api.particle.io/#x']])(
		'refuses %p',
		(value) => {
			expect(() => resolveBaseUrl(value)).toThrow(/Base URL of the Particle API credential/);
		},
	);

	it("the credential test falls back exactly as resolveBaseUrl() does, and follows no redirect", () => {
		const workflow = new Workflow({ nodes: [], connections: {}, active: false, nodeTypes });
		const baseURL = String(credential.test?.request.baseURL);
		const resolve = (baseUrl: string) =>
			workflow.expression.getSimpleParameterValue(
				{ id: 'n', name: 'n', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} },
				baseURL,
				'internal',
				{ $credentials: { baseUrl } },
			);
		for (const value of ['', 'https://api.particle.io/', 'http://127.0.0.1:4010//']) expect(resolve(value)).toBe(resolveBaseUrl(value));
		expect(credential.test?.request).toMatchObject({ disableFollowRedirect: true, sendCredentialsOnCrossOriginRedirect: false });
	});
});
