/** Organizations: the token's organizations, one organization, its products. (Shapes unconfirmed.) */
import { permissionDenied } from '../errors';
import { ok } from '../http';
import { authed, type Route } from '../router';
import { productJson } from '../serialize';
import { findOrganization } from './team';

export const orgRoutes: Route[] = [
	authed('GET', '/v1/orgs', (ctx, who) => {
		if (who.kind !== 'user') throw permissionDenied();
		return ok({ organizations: ctx.fleet.organizations.map(({ id, name, slug }) => ({ id, name, slug })) });
	}),
	authed('GET', '/v1/orgs/:org', (ctx, who) => {
		if (who.kind !== 'user') throw permissionDenied();
		const { id, name, slug } = findOrganization(ctx, ctx.params.org);
		return ok({ organization: { id, name, slug } });
	}),
	authed('GET', '/v1/orgs/:org/products', (ctx, who) => {
		if (who.kind !== 'user') throw permissionDenied();
		const org = findOrganization(ctx, ctx.params.org);
		return ok({ products: ctx.fleet.products.filter((product) => product.orgId === org.id).map((product) => productJson(ctx.fleet, product)) });
	}),
];
