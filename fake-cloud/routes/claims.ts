/**
 * Ownership: claim (`POST /v1/devices`), unclaim (`DELETE /v1/devices/:id`), and claim codes.
 */
import { randomBytes } from 'node:crypto';
import { accessibleProduct, ownsDevice, requireSandboxCaller, requireScope, sandboxDevice } from '../access';
import { deviceNotFound, permissionDenied, productNotFound } from '../errors';
import { field, optionalField, toBoolean, toText } from '../fields';
import type { FakeProduct } from '../fleet';
import { ApiError, ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';

export const claimRoutes: Route[] = [
	authed('POST', '/v1/devices', claimDevice),
	authed('DELETE', '/v1/devices/:device', (ctx, who) => {
		sandboxDevice(ctx, who, ctx.params.device, 'devices:release').owner = null;
		return ok({ ok: true });
	}),
	authed('POST', '/v1/device_claims', (ctx, who) => {
		requireSandboxCaller(who);
		requireScope(who, null);
		return createClaimCode(ctx, who, undefined);
	}),
	authed('POST', '/v1/products/:product/device_claims', (ctx, who) => {
		// Customers create claim codes through their product's route, the one product route they may use.
		if (who.kind === 'customer') {
			const product = ctx.fleet.findProduct(ctx.params.product);
			if (!product) throw productNotFound();
			if (product.id !== who.productId) throw permissionDenied();
			return createClaimCode(ctx, who, product);
		}
		return createClaimCode(ctx, who, accessibleProduct(ctx, who, ctx.params.product, null));
	}),
];

function ownerEmail(ctx: RequestContext, who: TokenRecord): string | null {
	if (who.kind === 'user') return ctx.fleet.user.username;
	return who.kind === 'customer' ? who.customer : null;
}

/**
 * Response carries both the docs' fields and particle-api-js's `ClaimResponse` fields (`deviceID`, `claimed`).
 * A device someone else owns: 403, or with `request_transfer` an acknowledged transfer request that changes
 * nothing here (transfers are not simulated; shape unconfirmed).
 */
function claimDevice(ctx: RequestContext, who: TokenRecord): Reply {
	requireSandboxCaller(who);
	requireScope(who, null);
	const id = toText(field(ctx, 'id'), 'id').trim().toLowerCase();
	const requestTransfer = optionalField(ctx, 'request_transfer', toBoolean) ?? false;
	const device = ctx.fleet.devices.get(id);
	if (!device) throw deviceNotFound();
	if (who.kind === 'customer' && device.product_id !== who.productId) throw permissionDenied();
	const owner = ownerEmail(ctx, who);
	if (device.owner !== null && !ownsDevice(ctx.fleet, who, device)) {
		if (requestTransfer) return ok({ ok: true, transfer_id: randomBytes(12).toString('hex'), deviceID: id, claimed: false });
		throw new ApiError(403, { ok: false, error: 'That belongs to someone else.' }); // (text unconfirmed)
	}
	device.owner = owner;
	const userId = who.kind === 'customer' ? ctx.fleet.findCustomer(who.productId ?? 0, owner ?? '')?.id : ctx.fleet.user.id;
	return ok({ ok: true, id, deviceID: id, user_id: userId, connected: device.online, claimed: true });
}

/** Claim codes look like Particle's: 63 URL-safe characters. */
function createClaimCode(ctx: RequestContext, who: TokenRecord, product: FakeProduct | undefined): Reply {
	const owner = ownerEmail(ctx, who);
	const code = randomBytes(47).toString('base64url');
	ctx.fleet.claimCodes.push({
		claim_code: code,
		owner,
		productId: product?.id ?? null,
		iccid: optionalField(ctx, 'iccid', toText) ?? null,
		imei: optionalField(ctx, 'imei', toText) ?? null,
		created_at: new Date(ctx.now()).toISOString(),
	});
	const deviceIds = owner === null ? [] : [...ctx.fleet.devices.values()].filter((d) => d.owner === owner).map((d) => d.id);
	return ok({ claim_code: code, device_ids: deviceIds });
}
