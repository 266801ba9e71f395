// Reference: Cloud API > Integrations [Webhooks] > Create a Webhook; List integrations; Get integration; Edit a Webhook; Delete an integration; Test an integration
/**
 * Integrations (webhooks) of the user's sandbox (`/v1/integrations`) and of a product
 * (`/v1/products/:productIdOrSlug/integrations`), after Particle's Cloud API reference (generated/api-service.json):
 * "Create a Webhook" (201 `{ ok, id, url, event, name, created_at, hookUrl }`, `integrations:create`),
 * "List integrations" (an array, `integrations:list`), "Get integration" (`{ integration }` with `logs`,
 * `integrations:get`), "Edit a Webhook" (`{ integration }`, replaces the whole configuration, `integrations:update`),
 * "Delete an integration" (204, `integrations:remove`), "Test an integration" (`{ pass, data, error }`,
 * `integrations:test`); and the webhook-only twins `/v1/webhooks[/:id]` that particle-api-js's createWebhook,
 * listWebhooks and deleteWebhook use.
 *
 * Strict where the reference is silent (unconfirmed): `requestType` is required, as the reference marks it; `form`,
 * `json` and `body` are mutually exclusive (the webhook reference says so) and sending two is a 400; only
 * `integration_type: Webhook` is simulated. `deviceID` is also read as `deviceid` / `deviceId`, the spellings
 * particle-api-js sends.
 */
import { accessibleProduct, productDevice, requireUser, sandboxDevice } from '../access';
import { badRequest, notFound } from '../errors';
import { field, hasField, optionalField, toBoolean, toText } from '../fields';
import { ok, type Reply } from '../http';
import { integrationsOf, REQUEST_TYPES, type FakeIntegration, type IntegrationOwner, type WebhookConfig } from '../integrations';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';

const EVENT_NAME_MAX = 64;

/** Who owns the integrations of this route: the user (sandbox routes, user tokens only) or the product. */
function ownerFor(ctx: RequestContext, who: TokenRecord, scope: string): IntegrationOwner {
	if (ctx.params.product === undefined) {
		requireUser(who, scope);
		return { kind: 'user' };
	}
	return { kind: 'product', productId: accessibleProduct(ctx, who, ctx.params.product, scope).id };
}

function existing(ctx: RequestContext, owner: IntegrationOwner): FakeIntegration {
	const integration = integrationsOf(ctx.fleet).find(owner, ctx.params.id);
	if (!integration) throw notFound('Integration not found');
	return integration;
}

/** The integration as the API shows it: its configuration, without the fake's bookkeeping. */
function integrationJson(integration: FakeIntegration, withLogs = false): Record<string, unknown> {
	const { owner: _owner, logs, id, event, created_at, integration_type, url, requestType, ...rest } = integration;
	return { id, event, created_at, integration_type, url, requestType, ...rest, ...(withLogs ? { logs } : {}) };
}

function textMap(value: unknown, name: string): Record<string, string> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`${name} must be an object of key/value pairs`);
	return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, toText(entry, `${name}.${key}`)]));
}

function readUrl(value: unknown): string {
	const text = toText(value, 'url').trim();
	let parsed: URL | undefined;
	try {
		parsed = new URL(text);
	} catch {
		parsed = undefined;
	}
	if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) throw badRequest('url must be an http or https URL');
	return text;
}

/** The device a webhook is limited to, checked against the owner's devices; its ID is what is stored. */
function readDevice(ctx: RequestContext, who: TokenRecord, owner: IntegrationOwner): string | undefined {
	const spelling = ['deviceID', 'deviceid', 'deviceId'].find((name) => hasField(ctx, name));
	const raw = spelling === undefined ? undefined : field(ctx, spelling);
	if (raw === undefined || raw === null || raw === '') return undefined;
	const value = toText(raw, 'deviceID');
	if (owner.kind === 'user') return sandboxDevice(ctx, who, value, null).id;
	const product = ctx.fleet.findProduct(owner.productId);
	if (!product) throw notFound('Product not found.');
	return productDevice(ctx.fleet, product, value).id;
}

/** A Create or Edit body as a webhook configuration, every field checked. */
function readConfig(ctx: RequestContext, who: TokenRecord, owner: IntegrationOwner): WebhookConfig {
	const event = optionalField(ctx, 'event', toText) ?? '';
	// "you must have at least one character as the event name; it's not possible to create a webhook for every event"
	if (event === '') throw badRequest('event is required');
	if (event.length > EVENT_NAME_MAX) throw badRequest(`event must be at most ${EVENT_NAME_MAX} characters`);
	if (!hasField(ctx, 'url')) throw badRequest('url is required');
	const requestType = (optionalField(ctx, 'requestType', toText) ?? '').toUpperCase();
	if (requestType === '') throw badRequest('requestType is required');
	if (!(REQUEST_TYPES as readonly string[]).includes(requestType)) throw badRequest('requestType must be GET, POST, PUT or DELETE');
	const bodies = ['json', 'form', 'body'].filter((name) => hasField(ctx, name));
	if (bodies.length > 1) throw badRequest(`${bodies.join(', ')} are mutually exclusive`);
	const json = field(ctx, 'json');
	if (json !== undefined && (typeof json !== 'object' || json === null) && typeof json !== 'string') throw badRequest('json must be an object or a string');
	const auth = field(ctx, 'auth');
	const config: WebhookConfig = {
		event,
		url: readUrl(field(ctx, 'url')),
		requestType: requestType as WebhookConfig['requestType'],
		...(json !== undefined ? { json } : {}),
		...(hasField(ctx, 'form') ? { form: textMap(field(ctx, 'form'), 'form') } : {}),
		...(hasField(ctx, 'body') ? { body: toText(field(ctx, 'body'), 'body') } : {}),
		...(hasField(ctx, 'headers') ? { headers: textMap(field(ctx, 'headers'), 'headers') } : {}),
		...(hasField(ctx, 'query') ? { query: textMap(field(ctx, 'query'), 'query') } : {}),
	};
	if (auth !== undefined) {
		const pair = textMap(auth, 'auth');
		if (pair.username === undefined || pair.password === undefined) throw badRequest('auth needs username and password');
		config.auth = { username: pair.username, password: pair.password };
	}
	const deviceID = readDevice(ctx, who, owner);
	if (deviceID !== undefined) config.deviceID = deviceID;
	for (const name of ['noDefaults', 'disabled', 'rejectUnauthorized'] as const) {
		const value = optionalField(ctx, name, toBoolean);
		if (value !== undefined) config[name] = value;
	}
	for (const name of ['name', 'responseTopic', 'errorResponseTopic'] as const) {
		const value = optionalField(ctx, name, toText);
		if (value !== undefined) config[name] = value;
	}
	const responseTemplate = field(ctx, 'responseTemplate');
	if (responseTemplate !== undefined) {
		config.responseTemplate = typeof responseTemplate === 'string' ? responseTemplate : JSON.stringify(responseTemplate);
	}
	return config;
}

function create(ctx: RequestContext, who: TokenRecord, typed: boolean): Reply {
	const owner = ownerFor(ctx, who, 'integrations:create');
	if (typed) {
		const type = optionalField(ctx, 'integration_type', toText);
		if (type === undefined) throw badRequest('integration_type is required');
		if (type !== 'Webhook') throw badRequest('integration_type must be Webhook (the fake cloud simulates webhooks only)');
	}
	const integration = integrationsOf(ctx.fleet).add(owner, readConfig(ctx, who, owner));
	const base = ctx.params.product === undefined ? '/v1' : `/v1/products/${encodeURIComponent(ctx.params.product)}`;
	return ok(
		{
			ok: true,
			id: integration.id,
			url: integration.url,
			event: integration.event,
			name: integration.name ?? null,
			created_at: integration.created_at,
			integration_type: integration.integration_type,
			hookUrl: `http://${String(ctx.headers.host ?? '127.0.0.1')}${base}/webhooks/${integration.id}`,
		},
		201,
	);
}

function remove(ctx: RequestContext, who: TokenRecord): Reply {
	const hub = integrationsOf(ctx.fleet);
	hub.remove(existing(ctx, ownerFor(ctx, who, 'integrations:remove')));
	return { status: 204 };
}

function get(ctx: RequestContext, who: TokenRecord): Reply {
	return ok({ integration: integrationJson(existing(ctx, ownerFor(ctx, who, 'integrations:get')), true) });
}

function handlers(base: string): Route[] {
	return [
		authed('GET', `${base}/integrations`, (ctx, who) =>
			ok(integrationsOf(ctx.fleet).ownedBy(ownerFor(ctx, who, 'integrations:list')).map((integration) => integrationJson(integration))),
		),
		authed('POST', `${base}/integrations`, (ctx, who) => create(ctx, who, true)),
		authed('GET', `${base}/integrations/:id`, get),
		authed('PUT', `${base}/integrations/:id`, (ctx, who) => {
			const owner = ownerFor(ctx, who, 'integrations:update');
			const integration = existing(ctx, owner);
			integrationsOf(ctx.fleet).replace(integration, readConfig(ctx, who, owner));
			return ok({ integration: integrationJson(integration) });
		}),
		authed('DELETE', `${base}/integrations/:id`, remove),
		authed('POST', `${base}/integrations/:id/test`, async (ctx, who) =>
			ok(await integrationsOf(ctx.fleet).test(existing(ctx, ownerFor(ctx, who, 'integrations:test')))),
		),
		// "If you would like to only list webhooks ... GET /v1/webhooks"; particle-api-js creates and deletes there too.
		authed('GET', `${base}/webhooks`, (ctx, who) =>
			ok(
				integrationsOf(ctx.fleet)
					.ownedBy(ownerFor(ctx, who, 'integrations:list'))
					.filter((integration) => integration.integration_type === 'Webhook')
					.map((integration) => integrationJson(integration)),
			),
		),
		authed('POST', `${base}/webhooks`, (ctx, who) => create(ctx, who, false)),
		authed('GET', `${base}/webhooks/:id`, get),
		authed('DELETE', `${base}/webhooks/:id`, remove),
	];
}

export const integrationRoutes: Route[] = [...handlers('/v1'), ...handlers('/v1/products/:product')];
