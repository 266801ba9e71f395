/**
 * Products: `GET /v1/products`, `GET /v1/user/products` (same list) and `GET /v1/products/:productIdOrSlug`.
 */
import { accessibleProduct, requireScope } from '../access';
import { apiUserNotAllowed, permissionDenied } from '../errors';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import { productJson } from '../serialize';
import type { TokenRecord } from '../tokens';

export const productRoutes: Route[] = [
	authed('GET', '/v1/products', listProducts),
	authed('GET', '/v1/user/products', (ctx, who) => {
		if (who.kind === 'apiUser') throw apiUserNotAllowed();
		if (who.kind !== 'user') throw permissionDenied();
		return listProducts(ctx, who);
	}),
	authed('GET', '/v1/products/:product', (ctx, who) =>
		ok({ product: productJson(ctx.fleet, accessibleProduct(ctx, who, ctx.params.product, 'products:get')) }),
	),
];

/** The user administers every product; product and API-user tokens see their own one. */
function listProducts(ctx: RequestContext, who: TokenRecord): Reply {
	if (who.kind === 'customer') throw permissionDenied();
	requireScope(who, 'products:list');
	const visible = ctx.fleet.products.filter((p) => who.kind === 'user' || p.id === who.productId);
	return ok({ products: visible.map((p) => productJson(ctx.fleet, p)) });
}
