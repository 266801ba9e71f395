// Reference: Cloud API > Events > Get a stream of events; Get a stream of your events; and their device, product and organization forms
/**
 * The event streams: mine, one device, a product, one product device, an organization; each with an optional
 * event-name prefix as the last segment.
 */
import { accessibleOrg, accessibleProduct, ownsDevice, productDevice, requireSandboxCaller, requireScope, sandboxDevice } from '../access';
import { deviceNotFound } from '../errors';
import type { FakeDevice, FleetEvent } from '../fleet';
import type { Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';

type Accepts = (event: FleetEvent) => boolean;

function streamReply(ctx: RequestContext, accepts: Accepts): Reply {
	const prefix = ctx.params.prefix ?? '';
	return {
		status: 200,
		stream: (req, res) =>
			ctx.fleet.streams.open(req, res, { prefix, accepts }, (listener) => {
				ctx.fleet.events.on('event', listener);
				return () => ctx.fleet.events.off('event', listener);
			}),
	};
}

/** Both `<path>` and `<path>/:prefix`. */
function withPrefix(path: string, handler: (ctx: RequestContext, who: TokenRecord) => Reply): Route[] {
	return [authed('GET', path, handler), authed('GET', `${path}/:prefix`, handler)];
}

const fromDevice = (device: FakeDevice): Accepts => (event) => event.coreid === device.id;

export const streamRoutes: Route[] = [
	// The public firehose needs a prefix since 2018; it carries public events only.
	authed('GET', '/v1/events/:prefix', (ctx) => streamReply(ctx, (event) => event.private === false)),
	...withPrefix('/v1/devices/events', (ctx, who) => {
		requireSandboxCaller(who);
		requireScope(who, 'events:get');
		return streamReply(ctx, (event) => {
			const device = ctx.fleet.devices.get(event.coreid);
			if (device) return ownsDevice(ctx.fleet, who, device);
			// Events published through the API by this user to the sandbox stream.
			return who.kind === 'user' && event.productID === undefined && event.userid === ctx.fleet.user.id;
		});
	}),
	...withPrefix('/v1/devices/:device/events', (ctx, who) =>
		streamReply(ctx, fromDevice(sandboxDevice(ctx, who, ctx.params.device, 'events:get'))),
	),
	...withPrefix('/v1/products/:product/events', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'events:get');
		return streamReply(ctx, (event) => event.productID === product.id);
	}),
	...withPrefix('/v1/products/:product/devices/:device/events', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'events:get');
		return streamReply(ctx, fromDevice(productDevice(ctx.fleet, product, ctx.params.device)));
	}),
	...withPrefix('/v1/orgs/:org/events', (ctx, who) => {
		const org = accessibleOrg(ctx, who, ctx.params.org, 'events:get');
		const products = new Set(ctx.fleet.products.filter((product) => product.orgId === org.id).map((product) => product.id));
		return streamReply(ctx, (event) => event.productID !== undefined && products.has(event.productID));
	}),
	// One device of the organization's products (a route the reference's stream rate limit names).
	...withPrefix('/v1/orgs/:org/devices/:device/events', (ctx, who) => {
		const org = accessibleOrg(ctx, who, ctx.params.org, 'events:get');
		const device = ctx.fleet.devices.get(ctx.params.device.toLowerCase());
		const product = device ? ctx.fleet.productOf(device) : undefined;
		if (!device || product?.orgId !== org.id) throw deviceNotFound();
		return streamReply(ctx, fromDevice(device));
	}),
];
