// Reference: Cloud API > Products > List products (its "List Organization Products" example); the organization list and get are not in the reference
/**
 * Organizations: the user's organizations, one organization, its products. Shapes unconfirmed: Particle documents
 * none of the three; `{ organizations: [{ id, name, slug }] }`, `{ organization }` and `{ products }` follow the
 * product routes' wrapping.
 */
import { accessibleOrg, requireUser } from '../access';
import type { FakeOrganization } from '../fleet';
import { ok } from '../http';
import { authed, type Route } from '../router';
import { productJson } from '../serialize';

const orgJson = ({ id, name, slug }: FakeOrganization) => ({ id, name, slug });

export const orgRoutes: Route[] = [
	authed('GET', '/v1/orgs', (ctx, who) => {
		requireUser(who, null);
		return ok({ organizations: ctx.fleet.organizations.map(orgJson) });
	}),
	authed('GET', '/v1/orgs/:org', (ctx, who) => ok({ organization: orgJson(accessibleOrg(ctx, who, ctx.params.org, null)) })),
	authed('GET', '/v1/orgs/:org/products', (ctx, who) => {
		const org = accessibleOrg(ctx, who, ctx.params.org, 'products:list');
		return ok({ products: ctx.fleet.products.filter((product) => product.orgId === org.id).map((product) => productJson(ctx.fleet, product)) });
	}),
];
