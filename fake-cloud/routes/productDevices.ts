// Reference: Cloud API > Devices > List devices in a product; Import devices into product; Remove device from product; Unclaim device
/**
 * Product fleet routes without a sandbox twin: the paginated device list, import, removal and unclaiming.
 */
import { accessibleProduct, productDevice } from '../access';
import { badRequest } from '../errors';
import { field, hasField, optionalField, queryValue, toBoolean, toText } from '../fields';
import type { FakeDevice, Fleet } from '../fleet';
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

/** The reference's `sortAttr` options: "deviceName, deviceId, firmwareVersion, or lastConnection". */
const SORTS: Record<string, (a: FakeDevice, b: FakeDevice) => number> = {
	deviceName: (a, b) => byText(a.name, b.name),
	deviceId: (a, b) => byText(a.id, b.id),
	firmwareVersion: (a, b) => (a.firmware_version ?? 0) - (b.firmware_version ?? 0),
	lastConnection: (a, b) => byText(a.last_heard ?? '', b.last_heard ?? ''),
};

function listProductDevices(ctx: RequestContext, who: TokenRecord): Reply {
	const product = accessibleProduct(ctx, who, ctx.params.product, 'devices:list');
	let devices = ctx.fleet.productDevices(product.id).filter(matchesFilters(ctx));
	const sortAttr = queryValue(ctx, 'sortAttr') ?? 'lastConnection';
	const compare = Object.prototype.hasOwnProperty.call(SORTS, sortAttr) ? SORTS[sortAttr] : undefined;
	if (!compare) throw badRequest(`sortAttr must be one of ${Object.keys(SORTS).join(', ')}`); // (text unconfirmed)
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

type ImportLists = Record<'updatedDeviceIds' | 'existingDeviceIds' | 'nonmemberDeviceIds' | 'invalidDeviceIds' | 'protectedDeviceIds', string[]>;

/**
 * "Import devices into product": `id` (one), `ids` (a JSON array, or a comma list in a form) or `file` (a multipart
 * .txt, one identifier a line); each identifier is a device ID, serial number, IMEI or ICCID, and the lists echo it as
 * sent. `claim_user` (body or query, as the reference's examples send it) claims what was imported; `import_sims` is
 * accepted (each device's SIM goes with it anyway). Unknown but well-formed device IDs become new devices, as Particle
 * knows every device it made. A device in another product is a non-member; a protected device cannot enter a product
 * without Device Protection.
 */
function importDevices(ctx: RequestContext, who: TokenRecord): Reply {
	const product = accessibleProduct(ctx, who, ctx.params.product, 'devices:import');
	const identifiers = requestedIdentifiers(ctx);
	const claimUser = optionalField(ctx, 'claim_user', toText) ?? queryValue(ctx, 'claim_user');
	optionalField(ctx, 'import_sims', toBoolean);
	const result: ImportLists = { updatedDeviceIds: [], existingDeviceIds: [], nonmemberDeviceIds: [], invalidDeviceIds: [], protectedDeviceIds: [] };
	for (const given of identifiers) {
		const wanted = given.trim();
		let device = findByIdentifier(ctx.fleet, wanted);
		if (!device && !/^[0-9a-f]{24}$/i.test(wanted)) {
			result.invalidDeviceIds.push(given);
			continue;
		}
		if (device?.product_id === product.id) {
			result.existingDeviceIds.push(given);
			continue;
		}
		if (device && ctx.fleet.productOf(device)) {
			result.nonmemberDeviceIds.push(given);
			continue;
		}
		if (device?.deviceProtection === 'active' && product.deviceProtection !== 'active') {
			result.protectedDeviceIds.push(given);
			continue;
		}
		if (device) joinProduct(device, product);
		else {
			const id = wanted.toLowerCase();
			device = newImportedDevice(id, product, ctx.now());
			ctx.fleet.devices.set(id, device);
		}
		if (claimUser !== undefined) device.owner = claimUser;
		result.updatedDeviceIds.push(given);
	}
	return ok({ updated: result.updatedDeviceIds.length, ...result });
}

/** A device by its ID (any case), serial number, IMEI or ICCID. */
function findByIdentifier(fleet: Fleet, identifier: string): FakeDevice | undefined {
	const byId = fleet.devices.get(identifier.toLowerCase());
	if (byId) return byId;
	for (const device of fleet.devices.values()) {
		if (identifier === device.serial_number || identifier === device.imei || identifier === device.iccid) return device;
	}
	return undefined;
}

function requestedIdentifiers(ctx: RequestContext): string[] {
	if (hasField(ctx, 'ids')) {
		const ids = field(ctx, 'ids');
		const list = typeof ids === 'string' ? ids.split(',') : ids;
		if (Array.isArray(list) && list.every((i): i is string => typeof i === 'string') && list.length > 0) return list;
		throw badRequest('ids must be a non-empty array of device ids');
	}
	if (hasField(ctx, 'id')) return [toText(field(ctx, 'id'), 'id')];
	if (hasField(ctx, 'file')) {
		const lines = toText(field(ctx, 'file'), 'file').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
		if (lines.length > 0) return lines;
		throw badRequest('file lists no devices'); // (text unconfirmed)
	}
	throw badRequest('id, ids or file is required'); // (text unconfirmed)
}
