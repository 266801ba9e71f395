/**
 * Who may touch what. User tokens own the sandbox and administer every product; product and API-user tokens live
 * inside one product; customer tokens see only their own devices, and only through /v1/devices routes.
 * Reference: Cloud API > API users > Errors - API users.
 */
import { deviceNotFound, insufficientScope, organizationNotFound, permissionDenied, productNotFound } from './errors';
import type { FakeDevice, FakeOrganization, FakeProduct, Fleet } from './fleet';
import { ApiError } from './http';
import type { RequestContext } from './router';
import type { TokenRecord } from './tokens';

/**
 * Every refusal of an API user. The reference: "If an API user attempts to perform an action that it is not
 * permitted to, a standard 400 unauthorized error is returned." Only the body of a route no API user may call is
 * documented; the other descriptions are the fake's own (unconfirmed).
 */
export function apiUserRefused(description: string): ApiError {
	return new ApiError(400, { error: 'unauthorized', error_description: description });
}

/** The documented body for an endpoint that no API user may call. */
export function apiUserNotAllowed(): ApiError {
	return apiUserRefused('API users are not allowed to call this endpoint');
}

/**
 * `scope` null means the route has no documented API-user scope: API users may not call it at all.
 * Other token kinds are limited only when they were issued with explicit scopes (those keep the OAuth 403).
 */
export function requireScope(who: TokenRecord, scope: string | null): void {
	if (scope === null) {
		if (who.kind === 'apiUser') throw apiUserNotAllowed();
		return;
	}
	if (who.kind === 'apiUser') {
		if (!who.scopes.includes(scope)) throw apiUserRefused(`This endpoint requires the ${scope} scope`);
		return;
	}
	if (who.scopes.length > 0 && !who.scopes.includes(scope)) throw insufficientScope(scope);
}

/** The /v1/devices family is for users and customers. */
export function requireSandboxCaller(who: TokenRecord): void {
	if (who.kind === 'apiUser') throw apiUserNotAllowed();
	if (who.kind === 'product') throw permissionDenied();
}

export function ownsDevice(fleet: Fleet, who: TokenRecord, device: FakeDevice): boolean {
	if (who.kind === 'user') return device.owner === fleet.user.username;
	if (who.kind === 'customer') return device.owner === who.customer && device.product_id === who.productId;
	return false;
}

const DEVICE_ID = /^[0-9a-f]{24}$/i;

/** By id first (someone else's device → 403), then by name among the caller's own devices (else 404). */
export function sandboxDevice(ctx: RequestContext, who: TokenRecord, idOrName: string, scope: string | null): FakeDevice {
	requireSandboxCaller(who);
	requireScope(who, scope);
	const byId = DEVICE_ID.test(idOrName) ? ctx.fleet.devices.get(idOrName.toLowerCase()) : undefined;
	if (byId) {
		if (!ownsDevice(ctx.fleet, who, byId)) throw permissionDenied();
		return byId;
	}
	for (const device of ctx.fleet.devices.values()) {
		if (device.name === idOrName && ownsDevice(ctx.fleet, who, device)) return device;
	}
	throw deviceNotFound();
}

/** A product the caller may use with this scope: 403 for customers and for tokens of another product. */
export function accessibleProduct(ctx: RequestContext, who: TokenRecord, idOrSlug: string, scope: string | null): FakeProduct {
	if (who.kind === 'customer') throw permissionDenied();
	const product = ctx.fleet.findProduct(idOrSlug);
	if (!product) throw productNotFound();
	const orgApiUser = who.kind === 'apiUser' && who.orgId != null && who.orgId === product.orgId;
	if (who.kind === 'apiUser' && who.productId !== product.id && !orgApiUser) throw apiUserRefused('This API user has no access to this product');
	if (who.kind === 'product' && who.productId !== product.id) throw permissionDenied();
	requireScope(who, scope);
	return product;
}

/**
 * An organization the caller may use with this scope: the user administers every one; an API user only its own
 * organization's (`scope` null: no API user at all); product and customer tokens never reach organization routes.
 */
export function accessibleOrg(ctx: RequestContext, who: TokenRecord, idOrSlug: string, scope: string | null): FakeOrganization {
	if (who.kind === 'customer' || who.kind === 'product') throw permissionDenied();
	const org = ctx.fleet.findOrganization(idOrSlug);
	if (!org) throw organizationNotFound();
	if (who.kind === 'apiUser' && scope !== null && who.orgId !== org.id) throw apiUserRefused('This API user has no access to this organization');
	requireScope(who, scope);
	return org;
}

/** Routes about the user's own account: user tokens only (API users get the documented "not allowed" body). */
export function requireUser(who: TokenRecord, scope: string | null): void {
	if (who.kind === 'apiUser') throw apiUserNotAllowed();
	if (who.kind !== 'user') throw permissionDenied();
	requireScope(who, scope);
}

/** Product routes take device ids only (names are a sandbox convenience). */
export function productDevice(fleet: Fleet, product: FakeProduct, deviceId: string): FakeDevice {
	const device = DEVICE_ID.test(deviceId) ? fleet.devices.get(deviceId.toLowerCase()) : undefined;
	if (!device || device.product_id !== product.id) throw deviceNotFound();
	return device;
}
