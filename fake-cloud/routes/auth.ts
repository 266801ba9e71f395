// Reference: Cloud API > Authentication (Generate an access token, Get the current access token information) and Customers > Generate a customer scoped access token
/**
 * `POST /oauth/token` (form-encoded only, like the real endpoint), the current token's info, and `GET /v1/user`.
 * The token endpoint keeps Particle's documented limits (tokens.ts, TokenEndpointGuard).
 */
import { requireUser } from '../access';
import { oauthError } from '../errors';
import { bodyFields } from '../fields';
import type { FakeOAuthClient } from '../fleet';
import { ApiError, ok, type Reply } from '../http';
import { authed, open, type RequestContext, type Route } from '../router';
import type { TokenEndpointRefusal, TokenGrant, TokenRecord } from '../tokens';

/** Particle's default user-token life: 90 days. */
export const USER_TOKEN_LIFETIME = 7_776_000;

export const authRoutes: Route[] = [
	open('POST', '/oauth/token', createToken),
	authed('GET', '/v1/access_tokens/current', currentTokenInfo),
	authed('DELETE', '/v1/access_tokens/current', (_ctx, who) => {
		who.revoked = true;
		return ok({ ok: true });
	}),
	authed('GET', '/v1/user', userInfo),
];

/**
 * "Exceeding the rate limit will result in a 429 HTTP error response." The body and the Retry-After header are the
 * fake's own (unconfirmed); a blocked IP gets the same status.
 */
function tokenEndpointRefused(refusal: TokenEndpointRefusal): ApiError {
	const description =
		refusal.reason === 'blocked'
			? 'Too many failed token requests in a row from this IP address; try again later'
			: 'Too many token requests from this IP address';
	return new ApiError(429, { error: 'rate_limited', error_description: description }, { 'retry-after': String(refusal.retryAfterSeconds) });
}

function createToken(ctx: RequestContext): Reply {
	const guard = ctx.tokens.tokenEndpoint;
	const refusal = guard.admit(ctx.now());
	if (refusal) throw tokenEndpointRefused(refusal);
	try {
		const reply = mintFromRequest(ctx);
		guard.settle(true, ctx.now());
		return reply;
	} catch (error) {
		guard.settle(false, ctx.now());
		throw error;
	}
}

function mintFromRequest(ctx: RequestContext): Reply {
	if (ctx.body.kind !== 'form') {
		throw oauthError(400, 'invalid_request', 'Method must be POST with application/x-www-form-urlencoded encoding');
	}
	const form = bodyFields(ctx) as Record<string, string>;
	const client = authenticateClient(ctx, form);
	const grant = grantFor(ctx, client, form);
	const { accessToken, refreshToken } = ctx.tokens.mint(grant, ctx.now());
	return {
		status: 200,
		json: { access_token: accessToken, token_type: 'bearer', expires_in: grant.lifetimeSeconds ?? 0, refresh_token: refreshToken },
		headers: { 'cache-control': 'no-store' },
	};
}

/**
 * The reference: "You must give a valid OAuth client ID and secret in HTTP Basic Auth or in the `client_id` and
 * `client_secret` parameters", the form fields being "Required if no Authorization header is present". So HTTP Basic
 * wins over the form fields. A Bearer header authenticates no client: the form fields must then be there
 * (particle-api-js sends its default token along with them), and the bearer token itself never mints anything.
 */
export function authenticateClient(ctx: RequestContext, form: Record<string, string>): FakeOAuthClient {
	let id = form.client_id;
	let secret = form.client_secret;
	const header = ctx.headers.authorization ?? '';
	const basic = /^Basic\s+(\S+)\s*$/i.exec(header);
	if (basic) {
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		id = colon === -1 ? decoded : decoded.slice(0, colon);
		secret = colon === -1 ? '' : decoded.slice(colon + 1);
	}
	const client = ctx.fleet.oauthClients.find((c) => c.id === id && c.secret === secret);
	if (!client) throw oauthError(401, 'invalid_client', 'Client authentication failed');
	return client;
}

function grantFor(ctx: RequestContext, client: FakeOAuthClient, form: Record<string, string>): TokenGrant {
	const grantType = form.grant_type;
	if (!grantType) throw oauthError(400, 'invalid_request', 'Missing parameter: grant_type');
	if (grantType === 'password') return passwordGrant(ctx, client, form);
	if (grantType === 'client_credentials') return clientGrant(ctx, client, form);
	if (grantType === 'refresh_token') {
		const grant = form.refresh_token ? ctx.tokens.takeRefresh(form.refresh_token) : undefined;
		if (!grant || grant.client !== client.id) throw oauthError(400, 'invalid_grant', 'Invalid refresh token');
		// A deleted customer's refresh tokens die with its access tokens.
		if (grant.kind === 'customer' && !ctx.fleet.findCustomer(grant.productId ?? 0, grant.customer ?? '')) {
			throw oauthError(400, 'invalid_grant', 'Invalid refresh token');
		}
		return grant;
	}
	throw oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
}

function passwordGrant(ctx: RequestContext, client: FakeOAuthClient, form: Record<string, string>): TokenGrant {
	// Product clients mint product and customer tokens; a user logs in through a login client (RFC 6749 error code).
	if (client.productId !== null) throw oauthError(400, 'unauthorized_client', 'This client may not use the password grant');
	const { user } = ctx.fleet;
	if (form.username !== user.username || form.password !== user.password) {
		throw oauthError(400, 'invalid_grant', 'User credentials are invalid');
	}
	const lifetimeSeconds = requestedLifetime(ctx, form, USER_TOKEN_LIFETIME);
	return { kind: 'user', scopes: [], productId: null, customer: null, client: client.id, lifetimeSeconds };
}

function clientGrant(ctx: RequestContext, client: FakeOAuthClient, form: Record<string, string>): TokenGrant {
	if (client.productId === null) {
		throw oauthError(400, 'unauthorized_client', 'This client may not use the client_credentials grant');
	}
	const lifetimeSeconds = requestedLifetime(ctx, form, ctx.tokenLifetimeSeconds);
	const base = { scopes: [], productId: client.productId, client: client.id, lifetimeSeconds };
	const scope = form.scope ?? '';
	if (scope === '') return { ...base, kind: 'product', customer: null };
	const customer = /^customer=(.+)$/.exec(scope)?.[1];
	if (customer === undefined) throw oauthError(400, 'invalid_scope', 'Unsupported scope');
	if (!ctx.fleet.findCustomer(client.productId, customer)) throw oauthError(400, 'invalid_grant', 'Customer not found');
	return { ...base, kind: 'customer', customer };
}

/** `expires_in` seconds (0 = never expires) or `expires_at` ISO time; else the default. */
function requestedLifetime(ctx: RequestContext, form: Record<string, string>, fallback: number): number | null {
	if (form.expires_in !== undefined && form.expires_in !== '') {
		if (!/^\d+$/.test(form.expires_in)) throw oauthError(400, 'invalid_request', 'expires_in must be a number of seconds');
		const seconds = Number(form.expires_in);
		return seconds === 0 ? null : seconds;
	}
	if (form.expires_at !== undefined && form.expires_at !== '') {
		const at = Date.parse(form.expires_at);
		if (Number.isNaN(at) || at <= ctx.now()) throw oauthError(400, 'invalid_request', 'expires_at must be a future ISO 8601 date');
		return Math.ceil((at - ctx.now()) / 1000);
	}
	return fallback;
}

function currentTokenInfo(ctx: RequestContext, who: TokenRecord): Reply {
	const { fleet } = ctx;
	const product = who.productId === null ? undefined : fleet.findProduct(who.productId);
	let orgs = who.kind === 'user' ? fleet.organizations : [];
	if (who.kind === 'product' || who.kind === 'apiUser') {
		// An organization API user belongs to its organization; a product token or API user to its product's.
		const org = who.orgId ? fleet.findOrganization(who.orgId) : product && fleet.organizationOf(product);
		orgs = org ? [org] : [];
	}
	return ok({
		// null for a token that never expires (unconfirmed; particle-api-js types it as a string).
		expires_at: who.expiresAt === null ? null : new Date(who.expiresAt).toISOString(),
		// The docs show `client`, particle-api-js types `client_id`: send both.
		client: who.client,
		client_id: who.client,
		scopes: [...who.scopes],
		orgs: orgs.map((o) => ({ id: o.id, slug: o.slug })),
	});
}

function userInfo(ctx: RequestContext, who: TokenRecord): Reply {
	requireUser(who, null);
	const mine = [...ctx.fleet.devices.values()].filter((d) => d.owner === ctx.fleet.user.username);
	return ok({
		username: ctx.fleet.user.username,
		subscription_ids: [],
		account_info: { first_name: 'Olive', last_name: 'Operator', business_account: false },
		scim_provisioned: false,
		no_password: false,
		mfa: { enabled: false },
		tos: 1,
		memberships: [],
		wifi_device_count: mine.filter((d) => !d.cellular).length,
		cellular_device_count: mine.filter((d) => d.cellular).length,
	});
}
