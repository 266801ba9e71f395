// Reference: Cloud API > Devices (each device endpoint's product form: /v1/products/:productIdOrSlug/devices/:deviceId/...)
/**
 * Most device routes exist twice: `/v1/devices/:idOrName/...` and `/v1/products/:productIdOrSlug/devices/:id/...`.
 * One handler serves both; only how the device is found and checked differs.
 */
import { accessibleProduct, productDevice, sandboxDevice } from '../access';
import type { FakeDevice, FakeProduct } from '../fleet';
import type { Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';

export interface DeviceTarget {
	device: FakeDevice;
	/** Set when the request came through the product route. */
	product: FakeProduct | undefined;
}

export type DeviceHandler = (ctx: RequestContext, who: TokenRecord, target: DeviceTarget) => Reply | Promise<Reply>;

/** `suffix` is appended to both paths, e.g. "/ping" or "/:name"; `scope` is the API-user scope the call needs. */
export function deviceTwins(method: string, suffix: string, scope: string, handler: DeviceHandler): Route[] {
	return [
		authed(method, `/v1/devices/:device${suffix}`, (ctx, who) =>
			handler(ctx, who, { device: sandboxDevice(ctx, who, ctx.params.device, scope), product: undefined }),
		),
		authed(method, `/v1/products/:product/devices/:device${suffix}`, (ctx, who) => {
			const product = accessibleProduct(ctx, who, ctx.params.product, scope);
			return handler(ctx, who, { device: productDevice(ctx.fleet, product, ctx.params.device), product });
		}),
	];
}
