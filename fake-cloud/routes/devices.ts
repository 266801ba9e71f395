// Reference: Cloud API > Devices > List devices; Get device information; Get product device information; Rename a device; Add device notes; Signal a device; Force enable OTA updates
/**
 * Listing, getting and updating devices: `GET /v1/devices`, and `GET`/`PUT` on both device twins.
 */
import { ownsDevice, requireSandboxCaller, requireScope } from '../access';
import { badRequest, deviceNotConnected } from '../errors';
import { bodyFields, hasField, toBoolean, toCount, toText } from '../fields';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import { deviceDetail, sandboxListDevice, type Json } from '../serialize';
import type { TokenRecord } from '../tokens';
import { afterProductDeviceUpdate } from './firmware';
import { deviceTwins, type DeviceTarget } from './twins';

export const MAX_DEVICE_NAME = 64;
/** Fields only the product route accepts. */
const PRODUCT_ONLY = ['development', 'desired_firmware_version', 'groups', 'flash'] as const;

export const deviceRoutes: Route[] = [
	authed('GET', '/v1/devices', listMyDevices),
	...deviceTwins('GET', '', 'devices:get', (_ctx, _who, { device, product }) => ok(deviceDetail(device, product !== undefined))),
	...deviceTwins('PUT', '', 'devices:update', updateDevice),
];

/** A bare array, not paginated, newest session first. */
function listMyDevices(ctx: RequestContext, who: TokenRecord): Reply {
	requireSandboxCaller(who);
	requireScope(who, 'devices:list');
	const mine = [...ctx.fleet.devices.values()].filter((d) => ownsDevice(ctx.fleet, who, d));
	mine.sort((a, b) => (b.last_handshake_at ?? '').localeCompare(a.last_handshake_at ?? ''));
	return ok(mine.map(sandboxListDevice));
}

/**
 * Validates every field before changing anything, then echoes `{ id, <field>, updated_at }` (plus
 * `connected`/`signaling` for a signal). Several fields in one request are merged into one echo.
 */
function updateDevice(ctx: RequestContext, _who: TokenRecord, { device, product }: DeviceTarget): Reply {
	const fields = bodyFields(ctx);
	const has = (name: string): boolean => hasField(ctx, name);
	if (!product) {
		const misplaced = PRODUCT_ONLY.find(has);
		// Strict on purpose: silently ignoring it would hide a node that sends product fields to the sandbox route.
		if (misplaced) throw badRequest(`${misplaced} can only be changed through the product device route`);
	}
	const changes: Json = {};
	if (has('name')) changes.name = validName(ctx, toText(fields.name, 'name'), device.id);
	if (has('notes')) changes.notes = fields.notes === null ? null : toText(fields.notes, 'notes');
	if (has('firmware_updates_forced')) {
		changes.firmware_updates_forced = toBoolean(fields.firmware_updates_forced, 'firmware_updates_forced');
	}
	if (has('development')) changes.development = toBoolean(fields.development, 'development');
	if (has('desired_firmware_version')) {
		const v = fields.desired_firmware_version;
		changes.desired_firmware_version = v === null ? null : toCount(v, 'desired_firmware_version');
	}
	if (has('groups')) changes.groups = groupList(fields.groups);
	if (has('flash')) toBoolean(fields.flash, 'flash'); // accepted; there is no firmware to flash
	const signal = has('signal') ? toBoolean(fields.signal, 'signal') : undefined;
	if (Object.keys(changes).length === 0 && signal === undefined && !has('flash')) throw badRequest('Nothing to update');
	// Signalling needs the device live, like variable and function calls (unconfirmed).
	if (signal !== undefined && !device.online) throw deviceNotConnected();

	const now = new Date(ctx.now()).toISOString();
	Object.assign(device, changes);
	if (changes.groups && product) {
		for (const g of changes.groups as string[]) if (!product.groups.includes(g)) product.groups.push(g);
	}
	// Groups and locks change what the device should run; a lock with flash updates it now (routes/firmware.ts).
	if (product) afterProductDeviceUpdate(ctx.fleet, product, device, has('flash') && toBoolean(fields.flash, 'flash'));
	const echo: Json = { id: device.id, ...changes };
	if (signal !== undefined) {
		device.signaling = signal;
		Object.assign(echo, { connected: device.online, signaling: signal });
	}
	if (Object.keys(changes).length > 0) {
		device.updated_at = now;
		echo.updated_at = now;
	}
	return ok(echo);
}

/** 1–64 characters and unique across the fleet, so name lookups are never ambiguous (uniqueness rule unconfirmed). */
function validName(ctx: RequestContext, name: string, deviceId: string): string {
	if (name.length === 0 || name.length > MAX_DEVICE_NAME) throw badRequest(`name must be 1 to ${MAX_DEVICE_NAME} characters`);
	const holder = ctx.fleet.deviceNamed(name);
	if (holder && holder.id !== deviceId) throw badRequest('Name already in use');
	return name;
}

/** JSON array of names, or a comma list from a form. New names create the group (unconfirmed). */
function groupList(value: unknown): string[] {
	const list = typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(list) || !list.every((g): g is string => typeof g === 'string')) {
		throw badRequest('groups must be an array of group names');
	}
	return list.map((g) => g.trim()).filter((g) => g !== '');
}
