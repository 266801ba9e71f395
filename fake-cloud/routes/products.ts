// Reference: Cloud API > Products > List products; Retrieve a product
/**
 * Products: `GET /v1/products`, `GET /v1/user/products` (same list) and `GET /v1/products/:productIdOrSlug`.
 */
import { accessibleProduct, requireScope, requireUser } from '../access';
import { permissionDenied } from '../errors';
import type { FakeProduct } from '../fleet';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import { productJson } from '../serialize';
import type { TokenRecord } from '../tokens';

export const productRoutes: Route[] = [
	authed('GET', '/v1/products', listProducts),
	authed('GET', '/v1/user/products', (ctx, who) => {
		requireUser(who, null);
		return listProducts(ctx, who);
	}),
	authed('GET', '/v1/products/:product', (ctx, who) =>
		ok({ product: productJson(ctx.fleet, accessibleProduct(ctx, who, ctx.params.product, 'products:get')) }),
	),
];

/** The user administers every product; product and API-user tokens see their own one (an org API user its org's). */
function listProducts(ctx: RequestContext, who: TokenRecord): Reply {
	if (who.kind === 'customer') throw permissionDenied();
	requireScope(who, 'products:list');
	const visible = (p: FakeProduct) => who.kind === 'user' || p.id === who.productId || (who.orgId != null && p.orgId === who.orgId);
	return ok({ products: ctx.fleet.products.filter(visible).map((p) => productJson(ctx.fleet, p)) });
}
