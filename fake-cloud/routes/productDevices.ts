/**
 * Product fleet routes without a sandbox twin: the paginated device list, import, removal and unclaiming.
 */
import { accessibleProduct, productDevice } from '../access';
import { badRequest } from '../errors';
import { field, hasField, optionalField, queryValue, toBoolean, toText } from '../fields';
import type { FakeDevice } from '../fleet';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import { joinProduct, leaveProduct, newImportedDevice } from '../seed';
import { pageOf } from '../paging';
import { productListDevice } from '../serialize';
import type { TokenRecord } from '../tokens';


export const productDeviceRoutes: Route[] = [
	authed('GET', '/v1/products/:product/devices', listProductDevices),
	authed('POST', '/v1/products/:product/devices', importDevices),
	authed('DELETE', '/v1/products/:product/devices/:device/owner', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'devices:release');
		productDevice(ctx.fleet, product, ctx.params.device).owner = null;
		return ok({ ok: true });
	}),
	authed('DELETE', '/v1/products/:product/devices/:device', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'devices:remove');
		const device = productDevice(ctx.fleet, product, ctx.params.device);
		optionalField(ctx, 'deny', toBoolean); // validated; a removed device is gone either way
		leaveProduct(device);
		return { status: 204 };
	}),
];

/** IDs are lowercase hex and times ISO-8601, so plain code-unit order is their order (localeCompare costs 10x more). */
function byText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

const SORTS: Record<string, (a: FakeDevice, b: FakeDevice) => number> = {
	deviceId: (a, b) => byText(a.id, b.id),
	firmwareVersion: (a, b) => (a.firmware_version ?? 0) - (b.firmware_version ?? 0),
	lastConnection: (a, b) => byText(a.last_heard ?? '', b.last_heard ?? ''),
};

function listProductDevices(ctx: RequestContext, who: TokenRecord): Reply {
	const product = accessibleProduct(ctx, who, ctx.params.product, 'devices:list');
	let devices = ctx.fleet.productDevices(product.id).filter(matchesFilters(ctx));
	const sortAttr = queryValue(ctx, 'sortAttr') ?? 'lastConnection';
	const compare = Object.prototype.hasOwnProperty.call(SORTS, sortAttr) ? SORTS[sortAttr] : undefined;
	if (!compare) throw badRequest('sortAttr must be deviceId, firmwareVersion or lastConnection');
	// Particle sorts by last connection, newest first, by default; an explicit attribute without a direction goes ascending.
	const sortDir = queryValue(ctx, 'sortDir') ?? (queryValue(ctx, 'sortAttr') === undefined ? 'desc' : 'asc');
	if (sortDir !== 'asc' && sortDir !== 'desc') throw badRequest('sortDir must be asc or desc');
	devices = [...devices].sort((a, b) => (sortDir === 'asc' ? compare(a, b) : compare(b, a)));

	const { items: pageDevices, meta } = pageOf(ctx, devices);
	const owners = new Set(pageDevices.map((d) => d.owner));
	const customers = product.customers.filter((c) => owners.has(c.username)).map((c) => ({ id: c.id, username: c.username }));
	return ok({
		devices: pageDevices.map(productListDevice),
		customers,
		meta,
	});
}

/** Partial, case-insensitive id / name / serial matches; any of the listed groups; quarantined true or false. */
function matchesFilters(ctx: RequestContext): (d: FakeDevice) => boolean {
	const contains = (value: string, wanted: string | undefined): boolean =>
		wanted === undefined || value.toLowerCase().includes(wanted.toLowerCase());
	const deviceId = queryValue(ctx, 'deviceId');
	const deviceName = queryValue(ctx, 'deviceName');
	const serial = queryValue(ctx, 'serialNumber');
	const groupsText = queryValue(ctx, 'groups');
	const groups = groupsText === undefined ? undefined : groupsText.split(',').map((g) => g.trim()).filter(Boolean);
	const quarantinedText = queryValue(ctx, 'quarantined');
	const quarantined = quarantinedText === undefined ? undefined : toBoolean(quarantinedText, 'quarantined');
	return (d) =>
		contains(d.id, deviceId) &&
		contains(d.name, deviceName) &&
		contains(d.serial_number, serial) &&
		(groups === undefined || groups.length === 0 || groups.some((g) => d.groups.includes(g))) &&
		(quarantined === undefined || d.quarantined === quarantined);
}

/**
 * `id` (one) or `ids` (JSON array, or a comma list in a form); `claim_user` claims the imported devices.
 * Unknown but well-formed ids become new devices, as Particle knows every device it made.
 * A device that belongs to another product is reported as a non-member (meaning unconfirmed).
 */
function importDevices(ctx: RequestContext, who: TokenRecord): Reply {
	const product = accessibleProduct(ctx, who, ctx.params.product, 'devices:import');
	const ids = requestedIds(ctx);
	const claimUser = optionalField(ctx, 'claim_user', toText);
	const result: Record<'updatedDeviceIds' | 'existingDeviceIds' | 'nonmemberDeviceIds' | 'invalidDeviceIds', string[]> = {
		updatedDeviceIds: [],
		existingDeviceIds: [],
		nonmemberDeviceIds: [],
		invalidDeviceIds: [],
	};
	for (const given of ids) {
		const id = given.trim().toLowerCase();
		if (!/^[0-9a-f]{24}$/.test(id)) {
			result.invalidDeviceIds.push(given);
			continue;
		}
		let device = ctx.fleet.devices.get(id);
		if (device?.product_id === product.id) {
			result.existingDeviceIds.push(id);
			continue;
		}
		if (device && ctx.fleet.productOf(device)) {
			result.nonmemberDeviceIds.push(id);
			continue;
		}
		if (device) joinProduct(device, product);
		else {
			device = newImportedDevice(id, product, ctx.now());
			ctx.fleet.devices.set(id, device);
		}
		if (claimUser !== undefined) device.owner = claimUser;
		result.updatedDeviceIds.push(id);
	}
	return ok({ updated: result.updatedDeviceIds.length, ...result });
}

function requestedIds(ctx: RequestContext): string[] {
	if (hasField(ctx, 'ids')) {
		const ids = field(ctx, 'ids');
		const list = typeof ids === 'string' ? ids.split(',') : ids;
		if (Array.isArray(list) && list.every((i): i is string => typeof i === 'string') && list.length > 0) return list;
		throw badRequest('ids must be a non-empty array of device ids');
	}
	if (hasField(ctx, 'id')) return [toText(field(ctx, 'id'), 'id')];
	throw badRequest('id or ids is required'); // (text unconfirmed; a multipart file upload is not simulated)
}
