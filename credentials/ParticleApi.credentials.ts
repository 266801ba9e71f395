import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL, originOf, resolveBaseUrl } from '../nodes/shared/baseUrl';
import { SIGN_WITH_PRODUCT_CLIENT, SIGN_WITH_PRODUCT_CLIENT_HEADER } from '../nodes/shared/productClientSigning';

/** Where the bearer token comes from: each mode shows its own fields. */
export type ParticleAuthMode = 'accessToken' | 'apiUserToken' | 'oauthClient';


/** The only paths (under the Base URL) a request signed with the client's ID and secret may go to. */
const CLIENT_SIGNED_PATHS = [/^\/oauth\/token$/, /^\/v1\/products\/[^/]+\/customers$/];

interface ClientCredentialsResponse {
	access_token?: string;
	expires_in?: number;
}

interface HttpLikeError {
	message?: string;
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
	httpCode?: string | null;
	cause?: unknown;
}

/** Request options as n8n's helpers take them: `url` (httpRequest) or `uri` (the legacy request of older nodes). */
type SignedRequestOptions = IHttpRequestOptions & {
	uri?: string;
	followRedirect?: boolean;
	followAllRedirects?: boolean;
};

/** The bearer token of each mode: the OAuth client's is the short-lived product token its exchange fetched. */
function bearerTokenOf(credentials: ICredentialDataDecryptedObject): string {
	const mode = credentials.authMode as ParticleAuthMode;
	const token =
		mode === 'oauthClient' ? credentials.sessionToken : mode === 'apiUserToken' ? credentials.apiUserToken : credentials.accessToken;
	return typeof token === 'string' ? token.trim() : '';
}

/** Removes the credential's own secret values from a text that came back from a server. */
function withoutSecrets(text: string, credentials: ICredentialDataDecryptedObject): string {
	let result = text;
	for (const key of ['clientSecret', 'clientId', 'accessToken', 'apiUserToken', 'sessionToken']) {
		const value = credentials[key];
		if (typeof value === 'string' && value.length >= 4) result = result.split(value).join('[redacted]');
	}
	return result;
}

/** The HTTP status of a failed exchange, wherever n8n's helper put it. */
function statusOf(error: HttpLikeError): number | undefined {
	for (let link: HttpLikeError | undefined = error, depth = 0; link && depth < 5; link = link.cause as HttpLikeError, depth++) {
		if (typeof link.response?.status === 'number') return link.response.status;
		const code = Number(link.httpCode);
		if (Number.isInteger(code) && code >= 100) return code;
	}
	return undefined;
}

/**
 * A refused or failed token exchange, as an error that carries the HTTP status (so callers can tell a wrong secret
 * from a network fault) and Particle's own words, never the request, its Basic auth header or the secret.
 */
class ParticleTokenExchangeError extends Error {
	/** Set when Particle answered; a string, as n8n's errors carry it. */
	readonly httpCode: string | null;

	constructor(
		readonly status: number | undefined,
		message: string,
	) {
		super(message);
		this.name = 'ParticleTokenExchangeError';
		this.httpCode = status === undefined ? null : String(status);
	}
}

/**
 * n8n's credential test shows the `code` of a failure that has no HTTP response (and a generic "Authorization failed"
 * otherwise): the code of this one is its own message, which names the mode, Particle's answer and what to do.
 */
function withTestMessage(error: ParticleTokenExchangeError): ParticleTokenExchangeError {
	return Object.assign(error, { code: error.message });
}

function describeExchangeFailure(error: HttpLikeError, credentials: ICredentialDataDecryptedObject): ParticleTokenExchangeError {
	const status = statusOf(error);
	const data = error.response?.data as { error?: unknown; error_description?: unknown } | undefined;
	const particleText = [data?.error, data?.error_description]
		.filter((part): part is string => typeof part === 'string' && part.length > 0)
		.map((part) => withoutSecrets(part, credentials).slice(0, 200))
		.join(': ');
	if (status !== undefined && status >= 300 && status < 400) {
		return new ParticleTokenExchangeError(
			status,
			`The Base URL answered the product OAuth client's token exchange with a redirect (HTTP ${status}); the client ID and secret are never sent after a redirect. Set the Base URL to the address of the Particle Cloud itself.`,
		);
	}
	const what = status ? `HTTP ${status}` : 'no answer';
	const fix =
		status === 400 || status === 401 || status === 403
			? 'Check the client ID and client secret in the Particle API credential (Console > your product > Authentication; the secret is shown only once, so create a new client if it is lost), and that the client belongs to the product and is a two-legged (server) client.'
			: status === 429
				? 'Particle limits token requests to 100 per 5 minutes per IP address and blocks an IP for 30 minutes after 10 failed ones in a row; wait before trying again.'
				: status === undefined
					? 'Check the Base URL in the Particle API credential and the network.'
					: 'Particle may be having trouble; n8n tries again on the next request.';
	return withTestMessage(
		new ParticleTokenExchangeError(
			status,
			`Particle refused the product OAuth client (${what}${particleText ? `, ${particleText}` : ''}). ${fix}`,
		),
	);
}

/** The key under which a header is set, whatever its case. */
function headerKey(headers: IHttpRequestOptions['headers'], name: string): string | undefined {
	return Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
}

/** The headers without the ones named (any case), so no stale Authorization or marker rides along. */
function headersWithout(headers: IHttpRequestOptions['headers'], names: string[]): NonNullable<IHttpRequestOptions['headers']> {
	const kept: NonNullable<IHttpRequestOptions['headers']> = {};
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (!names.includes(key.toLowerCase())) kept[key] = value;
	}
	return kept;
}

/** Why a request asking for the client's ID and secret may not have them, or undefined when it may. */
function clientSigningProblem(credentials: ICredentialDataDecryptedObject, options: SignedRequestOptions, target: URL, baseUrl: string): string | undefined {
	if ((credentials.authMode as ParticleAuthMode) !== 'oauthClient' || !credentials.clientId || !credentials.clientSecret) {
		return 'This request needs the product OAuth client: set the Particle API credential to "Product OAuth Client"';
	}
	const root = new URL(baseUrl).pathname.replace(/\/+$/, '');
	const path = target.pathname.startsWith(`${root}/`) ? target.pathname.slice(root.length) : undefined;
	const allowed = path !== undefined && CLIENT_SIGNED_PATHS.some((pattern) => pattern.test(path));
	if (String(options.method ?? 'GET').toUpperCase() !== 'POST' || !allowed) {
		return 'The product OAuth client\'s ID and secret are sent only to create a customer or a customer token';
	}
	return undefined;
}

export class ParticleApi implements ICredentialType {
	name = 'particleApi';

	displayName = 'Particle API';

	icon: Icon = { light: 'file:../icons/particle.svg', dark: 'file:../icons/particle.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-particle/n8n-nodes-particle/blob/main/README.md#particle-api-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authMode',
			type: 'options',
			default: 'accessToken',
			options: [
				{
					name: 'API User Token',
					value: 'apiUserToken',
					description:
						'Token of a programmatic team member of a product or organization, limited to its scopes',
				},
				{
					name: 'Product OAuth Client',
					value: 'oauthClient',
					description:
						'Client ID and secret of a product OAuth client, exchanged for a short-lived product token. Needed to create customers and customer tokens. A client scoped to customers:create only gives tokens that cannot read devices.',
				},
				{
					name: 'User Access Token',
					value: 'accessToken',
					description: 'A user or customer access token, for example from "particle token create"',
				},
			],
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'A user access token (particle token create, or the console). A customer token also works here: it is limited to the devices that customer owns.',
			displayOptions: { show: { authMode: ['accessToken'] } },
		},
		{
			displayName: 'API User Token',
			name: 'apiUserToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The token Particle showed once when the API user was created. It can only do what its scopes allow.',
			displayOptions: { show: { authMode: ['apiUserToken'] } },
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			description:
				'ID of an OAuth client created in the product (Console > product > Authentication), best a two-legged (server) client with no scope. A client scoped to customers:create (the Simple Auth types) can create customers, but its tokens cannot read or control devices: Particle answers 403.',
			displayOptions: { show: { authMode: ['oauthClient'] } },
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			displayOptions: { show: { authMode: ['oauthClient'] } },
		},
		{
			displayName: 'Token Lifetime (Seconds)',
			name: 'expiresIn',
			type: 'number',
			typeOptions: { minValue: 60 },
			default: 3600,
			description:
				'How long each product token fetched with the client lasts. n8n reuses it and fetches a new one when Particle says it has expired.',
			displayOptions: { show: { authMode: ['oauthClient'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Leave as is for the Particle Cloud; change it for a private cloud or a local test cloud. The credential is sent to this address only, and never after a redirect.',
		},
	];

	/**
	 * Only the product OAuth client needs a token exchange. For the static-token modes this makes no HTTP call and
	 * returns nothing, so a static token is never copied into the expirable field.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if ((credentials.authMode as ParticleAuthMode) !== 'oauthClient') return {};

		const form = new URLSearchParams({ grant_type: 'client_credentials' });
		const lifetime = Number(credentials.expiresIn);
		if (Number.isFinite(lifetime) && lifetime > 0) form.set('expires_in', String(Math.floor(lifetime)));

		let response: ClientCredentialsResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${resolveBaseUrl(credentials.baseUrl)}/oauth/token`,
				// The client ID and secret travel as HTTP Basic auth, never in the URL, and never after a redirect.
				auth: { username: String(credentials.clientId), password: String(credentials.clientSecret) },
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: form.toString(),
				json: true,
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
				timeout: 30_000,
			})) as ClientCredentialsResponse;
		} catch (error) {
			// A fresh error, so neither the request (with its Basic auth header) nor the client secret travels on.
			throw describeExchangeFailure(error as HttpLikeError, credentials);
		}
		if (typeof response?.access_token !== 'string' || response.access_token === '') {
			throw new ParticleTokenExchangeError(200, 'Particle answered the product OAuth client without an access token');
		}
		return { sessionToken: response.access_token };
	}

	/**
	 * Code, not an expression: n8n evaluates expressions only inside an execution or an activation, and a trigger
	 * reopens its stream long after its activation ended. The token goes only to the Base URL's origin, and a request
	 * that carries it never follows a redirect.
	 */
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		const options = requestOptions as SignedRequestOptions;
		const baseUrl = resolveBaseUrl(credentials.baseUrl);
		const target = options.url ?? options.uri ?? '';
		let targetOrigin: string | undefined;
		try {
			targetOrigin = new URL(target, options.baseURL ?? baseUrl).origin;
		} catch {
			targetOrigin = undefined;
		}
		if (targetOrigin !== originOf(baseUrl)) {
			throw new Error(
				`The Particle API credential is only sent to its Base URL (${originOf(baseUrl)}), not to ${targetOrigin ?? 'this address'}`,
			);
		}
		const markerKey = headerKey(options.headers, SIGN_WITH_PRODUCT_CLIENT_HEADER);
		const withClient = markerKey !== undefined && options.headers?.[markerKey] === SIGN_WITH_PRODUCT_CLIENT;
		const headers = headersWithout(options.headers, [SIGN_WITH_PRODUCT_CLIENT_HEADER, 'authorization']);
		let signed: SignedRequestOptions;
		if (withClient) {
			const problem = clientSigningProblem(credentials, options, new URL(target, options.baseURL ?? baseUrl), baseUrl);
			if (problem !== undefined) throw new Error(problem);
			// HTTP Basic with the client's ID and secret, and no bearer token: what Particle documents for these two.
			signed = {
				...options,
				headers,
				auth: { username: String(credentials.clientId), password: String(credentials.clientSecret) },
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			};
		} else {
			signed = {
				...options,
				headers: { ...headers, Authorization: `Bearer ${bearerTokenOf(credentials)}` },
				disableFollowRedirect: true,
				sendCredentialsOnCrossOriginRedirect: false,
			};
		}
		// The legacy request of older nodes (n8n's HTTP Request node with this credential) reads these instead.
		if (options.uri !== undefined) {
			signed.followRedirect = false;
			signed.followAllRedirects = false;
		}
		return signed;
	};

	// GET /v1/access_tokens/current describes the calling token. It is the one cheap read that every token kind may
	// make (user, customer, API user, product client), it touches no device, and it answers 401 for a bad token.
	// n8n shows a rule's message as it is (it evaluates nothing in it), so each names every mode's fix. A refused product
	// OAuth client fails earlier, in the token exchange, with its own message (see withTestMessage).
	test: ICredentialTestRequest = {
		request: {
			// The same fallback as resolveBaseUrl(): an empty field means Particle's own cloud.
			baseURL: `={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "") }}`,
			url: '/v1/access_tokens/current',
			method: 'GET',
			disableFollowRedirect: true,
			sendCredentialsOnCrossOriginRedirect: false,
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Particle did not accept the token (HTTP 401: invalid, expired or revoked). User Access Token: create a new one with "particle token create" (Particle CLI) and paste it. API User Token: Particle shows an API user\'s token only once; create the API user again (Particle console, product or organization team, or the Particle node\'s API User > Create) and paste its token. Product OAuth Client: n8n fetched a product token, but Particle refused it; check the Base URL.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						'Particle knows the token but refused to describe it (HTTP 403). User Access Token: create a new one with "particle token create". API User Token: check in the Particle console that the API user still exists. Product OAuth Client: use a two-legged (server) client of the product (Console > product > Authentication), not one scoped to customers:create.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The Base URL answered 404 for /v1/access_tokens/current: it is not a Particle Cloud. Leave the Base URL as https://api.particle.io for Particle\'s cloud.',
				},
			},
		],
	};
}
