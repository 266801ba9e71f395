// Reference: Cloud API > API users (Creating, Updating, Listing, Deleting an API user; Available API user scopes; Errors - API users)
/**
 * Teams of products and organizations: the human members and the API users (programmatic members) created with
 * friendly name and scopes. An API user's token is created with it, rotated on update, and dies with it.
 */
import { randomBytes } from 'node:crypto';
import type { ApiUserOwner, FakeApiUser } from '../admin';
import { accessibleOrg, accessibleProduct, apiUserNotAllowed } from '../access';
import { badRequest, notFound, permissionDenied } from '../errors';
import { field, optionalField, toText } from '../fields';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import { randomToken, type TokenRecord } from '../tokens';

/**
 * The API-user scopes the fake knows, written out from Particle's reference: Cloud API > API users > "Available API
 * user scopes", which the reference renders from every endpoint's permissions (`generated/api-service.json` in
 * particle-iot/docs, commit 555a74a36ae031e2d67f899a7d0bdff5e32376f4). Not `devices.diagnostics.metadata:get`: only an
 * older reference has it. Written here on purpose, apart from the node's list and from the test fixture (never
 * imported), so a wrong scope in the node shows as Particle's 400.
 */
export const KNOWN_API_USER_SCOPES: ReadonlySet<string> = new Set([
	'clients:create',
	'clients:list',
	'clients:remove',
	'clients:update',
	'configuration:get',
	'configuration:update',
	'customers:list',
	'customers:remove',
	'customers:update',
	'devices.diagnostics:get',
	'devices.diagnostics:update',
	'devices.function:call',
	'devices.variable:get',
	'devices:get',
	'devices:import',
	'devices:list',
	'devices:ping',
	'devices:release',
	'devices:remove',
	'devices:update',
	'events:get',
	'events:send',
	'firmware.binary:get',
	'firmware:create',
	'firmware:get',
	'firmware:list',
	'firmware:release',
	'firmware:remove',
	'firmware:update',
	'groups.impact:get',
	'groups:create',
	'groups:get',
	'groups:list',
	'groups:remove',
	'groups:update',
	'integrations:create',
	'integrations:get',
	'integrations:list',
	'integrations:remove',
	'integrations:test',
	'integrations:update',
	'ledger.definitions:archive',
	'ledger.definitions:create',
	'ledger.definitions:get',
	'ledger.definitions:list',
	'ledger.definitions:update',
	'ledger.instances.versions:get',
	'ledger.instances.versions:list',
	'ledger.instances:get',
	'ledger.instances:list',
	'ledger.instances:remove',
	'ledger.instances:set',
	'locations:get',
	'logic.functions:create',
	'logic.functions:execute',
	'logic.functions:get',
	'logic.functions:list',
	'logic.functions:remove',
	'logic.functions:update',
	'logic.logs:list',
	'logic.runs:get',
	'logic.runs:list',
	'logic.stats:list',
	'metrics.events:get',
	'metrics.functions:get',
	'metrics.integrations:get',
	'metrics.online:get',
	'metrics.variables:get',
	'organization:get',
	'products:get',
	'products:list',
	'service_agreements.notifications:list',
	'service_agreements.pricing_terms:get',
	'service_agreements.usage_reports:create',
	'service_agreements.usage_reports:get',
	'service_agreements.usage_summary:get',
	'service_agreements:list',
	'sims.status:get',
	'sims.usage:get',
	'sims:get',
	'sims:import',
	'sims:list',
	'sims:remove',
	'sims:update',
	'teams.users:invite',
	'teams.users:list',
	'teams.users:remove',
	'teams.users:update',
]);

/**
 * Only the humans who administer may change a team (docs: API users cannot manage members, and the caller needs
 * admin rights); an API user may list its own product's or organization's team with `teams.users:list`.
 */
function ownerFor(ctx: RequestContext, who: TokenRecord, listing: boolean): ApiUserOwner {
	if (who.kind === 'apiUser' && !listing) throw apiUserNotAllowed();
	if (who.kind === 'product') throw permissionDenied();
	if (ctx.params.org !== undefined) return { kind: 'org', id: accessibleOrg(ctx, who, ctx.params.org, 'teams.users:list').id };
	return { kind: 'product', id: String(accessibleProduct(ctx, who, ctx.params.product, 'teams.users:list').id) };
}

const sameOwner = (a: ApiUserOwner, b: ApiUserOwner) => a.kind === b.kind && a.id === b.id;

function teamOf(ctx: RequestContext, owner: ApiUserOwner): Record<string, unknown>[] {
	return [
		{ username: ctx.fleet.user.username, role: { id: '000000000000000000000002', name: 'Administrator' } },
		...ctx.fleet.apiUsers
			.filter((apiUser) => sameOwner(apiUser.owner, owner))
			.map((apiUser) => ({ username: apiUser.username, is_programmatic: true, friendly_name: apiUser.friendly_name, scopes: apiUser.scopes })),
	];
}

function readScopes(ctx: RequestContext, required: boolean): string[] | undefined {
	const value = field(ctx, 'scopes');
	if (value === undefined && !required) return undefined;
	if (!Array.isArray(value) || value.length === 0 || !value.every((scope) => typeof scope === 'string')) {
		throw badRequest('scopes must be a non-empty list of scope names');
	}
	const unknown = value.filter((scope) => !KNOWN_API_USER_SCOPES.has(scope));
	if (unknown.length > 0) throw badRequest(`Unknown scope: ${unknown.join(', ')}`); // (text unconfirmed)
	return value;
}

function mintApiUserToken(ctx: RequestContext, apiUser: FakeApiUser): void {
	const productId = apiUser.owner.kind === 'product' ? Number(apiUser.owner.id) : null;
	const orgId = apiUser.owner.kind === 'org' ? apiUser.owner.id : null;
	const token = randomToken();
	ctx.tokens.add(token, { kind: 'apiUser', scopes: apiUser.scopes, productId, orgId, customer: null, client: 'api-user', lifetimeSeconds: null }, ctx.now());
	apiUser.token = token;
}

function created(apiUser: FakeApiUser): Reply {
	return ok({
		ok: true,
		created: { username: apiUser.username, is_programmatic: true, friendly_name: apiUser.friendly_name, scopes: apiUser.scopes, tokens: [{ token: apiUser.token }] },
	});
}

function existing(ctx: RequestContext, owner: ApiUserOwner): FakeApiUser {
	const apiUser = ctx.fleet.apiUsers.find((candidate) => candidate.username === ctx.params.username && sameOwner(candidate.owner, owner));
	if (!apiUser) throw notFound('User not found');
	return apiUser;
}

function handlers(base: string): Route[] {
	return [
		authed('GET', `${base}/team`, (ctx, who) => ok({ ok: true, team: teamOf(ctx, ownerFor(ctx, who, true)) })),
		authed('POST', `${base}/team`, (ctx, who) => {
			const owner = ownerFor(ctx, who, false);
			const friendlyName = toText(field(ctx, 'friendly_name'), 'friendly_name').trim();
			if (friendlyName === '' || friendlyName.length > 64) throw badRequest('friendly_name must be 1 to 64 characters');
			const slug = friendlyName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'api-user';
			const apiUser: FakeApiUser = {
				username: `${slug}+${randomBytes(5).toString('hex')}@api.particle.io`,
				friendly_name: friendlyName,
				scopes: readScopes(ctx, true) ?? [],
				owner,
				token: '',
			};
			mintApiUserToken(ctx, apiUser);
			ctx.fleet.apiUsers.push(apiUser);
			return created(apiUser);
		}),
		// Changing an API user replaces its token (Particle rotates it; response shape unconfirmed, same as create).
		authed('PUT', `${base}/team/:username`, (ctx, who) => {
			const apiUser = existing(ctx, ownerFor(ctx, who, false));
			const friendlyName = optionalField(ctx, 'friendly_name', toText)?.trim();
			if (friendlyName !== undefined && friendlyName !== '') apiUser.friendly_name = friendlyName;
			apiUser.scopes = readScopes(ctx, false) ?? apiUser.scopes;
			ctx.tokens.revoke(apiUser.token);
			mintApiUserToken(ctx, apiUser);
			return created(apiUser);
		}),
		authed('DELETE', `${base}/team/:username`, (ctx, who) => {
			const apiUser = existing(ctx, ownerFor(ctx, who, false));
			ctx.tokens.revoke(apiUser.token);
			ctx.fleet.apiUsers.splice(ctx.fleet.apiUsers.indexOf(apiUser), 1);
			return ok({ ok: true });
		}),
	];
}

export const teamRoutes: Route[] = [...handlers('/v1/products/:product'), ...handlers('/v1/orgs/:org')];
