/**
 * Who may touch what. User tokens own the sandbox and administer every product; product and API-user tokens live
 * inside one product; customer tokens see only their own devices, and only through /v1/devices routes.
 */
import { apiUserNotAllowed, deviceNotFound, insufficientScope, organizationNotFound, permissionDenied, productNotFound } from './errors';
import type { FakeDevice, FakeOrganization, FakeProduct, Fleet } from './fleet';
import type { RequestContext } from './router';
import type { TokenRecord } from './tokens';

/**
 * `scope` null means the route has no documented API-user scope: API users may not call it at all.
 * Other token kinds are limited only when they were issued with explicit scopes.
 */
export function requireScope(who: TokenRecord, scope: string | null): void {
	if (scope === null) {
		if (who.kind === 'apiUser') throw apiUserNotAllowed();
		return;
	}
	const restricted = who.kind === 'apiUser' || who.scopes.length > 0;
	if (restricted && !who.scopes.includes(scope)) throw insufficientScope(scope);
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
	if ((who.kind === 'product' || who.kind === 'apiUser') && who.productId !== product.id && !orgApiUser) throw permissionDenied();
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
	if (who.kind === 'apiUser' && scope !== null && who.orgId !== org.id) throw permissionDenied();
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
