import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/** Where the bearer token comes from: each mode shows its own fields. */
export type ParticleAuthMode = 'accessToken' | 'apiUserToken' | 'oauthClient';

interface ClientCredentialsResponse {
	access_token?: string;
	expires_in?: number;
}

interface HttpLikeError {
	message?: string;
	response?: { status?: number; data?: unknown };
	httpCode?: string | null;
}

/** The cloud's own words about a refused token exchange, without anything from the request. */
function describeExchangeFailure(error: HttpLikeError): string {
	const status = error.response?.status ?? (error.httpCode ? Number(error.httpCode) : undefined);
	const data = error.response?.data as { error?: unknown; error_description?: unknown } | undefined;
	const particleText = [data?.error, data?.error_description]
		.filter((part): part is string => typeof part === 'string' && part.length > 0)
		.join(': ');
	const what = status ? `HTTP ${status}` : 'no answer';
	return `Particle refused the product OAuth client (${what}${particleText ? `, ${particleText}` : ''}). Check the client ID and client secret in the Particle API credential, and that the client belongs to a product.`;
}

export class ParticleApi implements ICredentialType {
	name = 'particleApi';

	displayName = 'Particle API';

	icon: Icon = { light: 'file:../icons/particle.svg', dark: 'file:../icons/particle.dark.svg' };

	documentationUrl = 'https://docs.particle.io/reference/cloud-apis/access-tokens/';

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
						'Client ID and secret of a product OAuth client, exchanged for a short-lived product token',
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
			description: 'ID of an OAuth client created in the product (Console > product > Authentication)',
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
			default: 'https://api.particle.io',
			description: 'Leave as is for the Particle Cloud; change it for a private cloud or a local test cloud',
		},
	];

	/**
	 * Only the product OAuth client needs a token exchange. For the static-token modes this makes no HTTP call and
	 * returns nothing, so a static token is never copied into the expirable field.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if ((credentials.authMode as ParticleAuthMode) !== 'oauthClient') return {};

		const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
		const form = new URLSearchParams({ grant_type: 'client_credentials' });
		const lifetime = Number(credentials.expiresIn);
		if (Number.isFinite(lifetime) && lifetime > 0) form.set('expires_in', String(Math.floor(lifetime)));

		let response: ClientCredentialsResponse;
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/oauth/token`,
				// The client ID and secret travel as HTTP Basic auth, never in the URL.
				auth: { username: String(credentials.clientId), password: String(credentials.clientSecret) },
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: form.toString(),
				json: true,
			})) as ClientCredentialsResponse;
		} catch (error) {
			// A fresh error, so neither the request (with its Basic auth header) nor the client secret travels on.
			throw new Error(describeExchangeFailure(error as HttpLikeError));
		}
		if (typeof response?.access_token !== 'string' || response.access_token === '') {
			throw new Error('Particle answered the product OAuth client without an access token');
		}
		return { sessionToken: response.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization:
					'={{ "Bearer " + ($credentials.authMode === "oauthClient" ? $credentials.sessionToken : $credentials.authMode === "apiUserToken" ? $credentials.apiUserToken : $credentials.accessToken) }}',
			},
		},
	};

	// GET /v1/access_tokens/current describes the calling token. It is the one cheap read that every token kind may
	// make (user, customer, API user, product client), it touches no device, and it answers 401 for a bad token.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{ $credentials.baseUrl.replace(/\\/+$/, "") }}',
			url: '/v1/access_tokens/current',
			method: 'GET',
		},
	};
}
