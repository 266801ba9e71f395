// Reference: Cloud API > Events (publishing an event: POST /v1/devices/events and its product form)
/**
 * Publishing events: `POST /v1/devices/events` and `POST /v1/products/:p/events`. Published events are kept in
 * `fleet.publishedEvents` and emitted on `fleet.events`, where an SSE stream can pick them up.
 */
import { accessibleProduct, requireSandboxCaller, requireScope } from '../access';
import { badRequest } from '../errors';
import { field, optionalField, toBoolean, toCount, toText, utf8Length } from '../fields';
import type { FakeProduct } from '../fleet';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';

export const MAX_EVENT_NAME = 64;
/** Device OS 3.x+ Gen 3 limit; the cloud's own limit for API publishes is undocumented, so use the safe one. */
export const MAX_EVENT_DATA_BYTES = 1024;
export const DEFAULT_TTL = 60;

export const eventRoutes: Route[] = [
	authed('POST', '/v1/devices/events', (ctx, who) => {
		requireSandboxCaller(who);
		requireScope(who, 'events:send');
		const product = who.kind === 'customer' && who.productId !== null ? ctx.fleet.findProduct(who.productId) : undefined;
		return publish(ctx, who, product);
	}),
	authed('POST', '/v1/products/:product/events', (ctx, who) =>
		publish(ctx, who, accessibleProduct(ctx, who, ctx.params.product, 'events:send')),
	),
];

function publish(ctx: RequestContext, who: TokenRecord, product: FakeProduct | undefined): Reply {
	const name = optionalField(ctx, 'name', toText) ?? '';
	if (name === '') throw badRequest('name is required');
	if (name.length > MAX_EVENT_NAME) throw badRequest(`name must be at most ${MAX_EVENT_NAME} characters`);
	const rawData = field(ctx, 'data');
	// Strict: the cloud carries text; an object here means the caller forgot to stringify it.
	const data = rawData === undefined || rawData === null ? null : toText(rawData, 'data');
	if (data !== null && utf8Length(data) > MAX_EVENT_DATA_BYTES) {
		throw badRequest(`data must be at most ${MAX_EVENT_DATA_BYTES} bytes`);
	}
	const isPrivate = optionalField(ctx, 'private', toBoolean) ?? true;
	const ttl = optionalField(ctx, 'ttl', toCount) ?? DEFAULT_TTL;
	ctx.fleet.publish({
		name,
		data,
		ttl,
		private: isPrivate,
		published_at: new Date(ctx.now()).toISOString(),
		coreid: 'api',
		productID: product?.id,
		userid: who.kind === 'user' ? ctx.fleet.user.id : undefined,
	});
	return ok({ ok: true });
}
