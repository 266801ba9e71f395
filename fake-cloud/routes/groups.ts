// Reference: Cloud API > Groups (Get device group; List device groups; Create device group; Edit device group; Delete device group; Batch assign groups to devices; Impact of taking action)
/**
 * Device groups of a product: the names are the product's `groups`, each device's membership its `groups` (so the
 * device list's `groups` filter follows them), description and color kept beside. A group's `fw_version` is the
 * product firmware version released to it. Assigning one device's groups is the device PUT (routes/devices.ts).
 */
import { accessibleProduct } from '../access';
import { badRequest, notFound } from '../errors';
import { bodyFields, field, hasField, optionalField, queryValue, toBoolean, toText } from '../fields';
import type { FakeDevice, FakeGroupInfo, FakeProduct, FakeProductFirmware, Fleet } from '../fleet';
import { ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { Json } from '../serialize';
import { firmwareOf, retarget } from './firmware';

/** The reference: "Must only contain lowercase letters, numbers, dashes, and underscores"; the Console guide: at most 64. */
const GROUP_NAME = /^[a-z0-9_-]{1,64}$/;
/** A hex color as the reference's examples write it ("#e74c3c"); how strict Particle is is unconfirmed. */
const GROUP_COLOR = /^#[0-9a-fA-F]{6}$/;
/** The color of the reference's examples, for groups made without one (unconfirmed). */
const DEFAULT_COLOR = '#34495e';

function infoOf(fleet: Fleet, product: FakeProduct, name: string): FakeGroupInfo {
	let byName = fleet.groupInfo.get(product.id);
	if (!byName) {
		byName = new Map();
		fleet.groupInfo.set(product.id, byName);
	}
	let info = byName.get(name);
	if (!info) {
		info = { description: '', color: DEFAULT_COLOR };
		byName.set(name, info);
	}
	return info;
}

function releasedTo(fleet: Fleet, product: FakeProduct, name: string): FakeProductFirmware | undefined {
	return firmwareOf(fleet, product).find((firmware) => firmware.groups.includes(name));
}

/** The group object: `fw_version` only when a version is released to it; `device_count` where the reference shows it. */
function groupJson(fleet: Fleet, product: FakeProduct, name: string, withCount: boolean): Json {
	const info = infoOf(fleet, product, name);
	const released = releasedTo(fleet, product, name);
	return {
		name,
		description: info.description,
		color: info.color,
		...(released ? { fw_version: released.version } : {}),
		...(withCount ? { device_count: fleet.productDevices(product.id).filter((device) => device.groups.includes(name)).length } : {}),
	};
}

function findGroup(product: FakeProduct, name: string): string {
	if (!product.groups.includes(name)) throw notFound('Group not found'); // (text unconfirmed)
	return name;
}

function validName(value: unknown): string {
	const name = toText(value, 'name');
	if (!GROUP_NAME.test(name)) throw badRequest('name must only contain lowercase letters, numbers, dashes, and underscores'); // (text unconfirmed)
	return name;
}

function validColor(value: unknown): string {
	const color = toText(value, 'color');
	if (!GROUP_COLOR.test(color)) throw badRequest('color must be a hex color such as #e74c3c'); // (text unconfirmed)
	return color;
}

export const groupRoutes: Route[] = [
	authed('GET', '/v1/products/:product/groups', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'groups:list');
		// "Optionally, filter by group name (partial match)."
		const wanted = queryValue(ctx, 'name')?.toLowerCase();
		const names = product.groups.filter((name) => wanted === undefined || name.includes(wanted));
		return ok({ groups: names.map((name) => groupJson(ctx.fleet, product, name, false)) });
	}),
	authed('POST', '/v1/products/:product/groups', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'groups:create');
		if (!hasField(ctx, 'name')) throw badRequest('name is required'); // (text unconfirmed)
		const name = validName(field(ctx, 'name'));
		const color = optionalField(ctx, 'color', validColor);
		const description = optionalField(ctx, 'description', toText);
		if (product.groups.includes(name)) throw badRequest(`Group ${name} already exists`); // (text unconfirmed)
		product.groups.push(name);
		const info = infoOf(ctx.fleet, product, name);
		if (color !== undefined) info.color = color;
		if (description !== undefined) info.description = description;
		return ok({ group: groupJson(ctx.fleet, product, name, false) }, 201);
	}),
	authed('GET', '/v1/products/:product/groups/:group', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'groups:get');
		return ok({ group: groupJson(ctx.fleet, product, findGroup(product, ctx.params.group), true) });
	}),
	authed('PUT', '/v1/products/:product/groups/:group', (ctx, who) => editGroup(ctx, accessibleProduct(ctx, who, ctx.params.product, 'groups:update'))),
	authed('DELETE', '/v1/products/:product/groups/:group', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'groups:remove');
		const name = findGroup(product, ctx.params.group);
		// "All devices that belong to this group will be removed from the deleted group."
		product.groups.splice(product.groups.indexOf(name), 1);
		for (const device of ctx.fleet.productDevices(product.id)) device.groups = device.groups.filter((group) => group !== name);
		for (const firmware of firmwareOf(ctx.fleet, product)) firmware.groups = firmware.groups.filter((group) => group !== name);
		ctx.fleet.groupInfo.get(product.id)?.delete(name);
		retarget(ctx.fleet, product);
		return { status: 204 };
	}),
	authed('PUT', '/v1/products/:product/devices', (ctx, who) => batchAssign(ctx, accessibleProduct(ctx, who, ctx.params.product, 'devices:update'))),
	authed('GET', '/v1/products/:product/impact', (ctx, who) => impact(ctx, accessibleProduct(ctx, who, ctx.params.product, 'groups.impact:get'))),
];

/** "You must pass one of `name`, `color`, or `description`." A new name follows into devices and releases. */
function editGroup(ctx: RequestContext, product: FakeProduct): Reply {
	const name = findGroup(product, ctx.params.group);
	const newName = optionalField(ctx, 'name', validName);
	const color = optionalField(ctx, 'color', validColor);
	const description = optionalField(ctx, 'description', toText);
	if (newName === undefined && color === undefined && description === undefined) {
		throw badRequest('You must pass one of name, color, or description'); // (text unconfirmed)
	}
	if (newName !== undefined && newName !== name && product.groups.includes(newName)) throw badRequest(`Group ${newName} already exists`); // (text unconfirmed)
	const info = infoOf(ctx.fleet, product, name);
	if (color !== undefined) info.color = color;
	if (description !== undefined) info.description = description;
	let current = name;
	if (newName !== undefined && newName !== name) {
		const rename = (groups: string[]) => groups.map((group) => (group === name ? newName : group));
		product.groups = rename(product.groups);
		for (const device of ctx.fleet.productDevices(product.id)) device.groups = rename(device.groups);
		for (const firmware of firmwareOf(ctx.fleet, product)) firmware.groups = rename(firmware.groups);
		const byName = ctx.fleet.groupInfo.get(product.id);
		byName?.delete(name);
		byName?.set(newName, info);
		current = newName;
	}
	return ok({ group: groupJson(ctx.fleet, product, current, true) });
}

function nameList(value: unknown, what: string): string[] {
	if (!Array.isArray(value) || !value.every((entry): entry is string => typeof entry === 'string')) {
		throw badRequest(`${what} must be an array of group names`); // (text unconfirmed)
	}
	return value.map(validName);
}

/**
 * "Batch assign groups to devices": `{ action: "groups", devices: [ids], metadata: { add, remove } }`, JSON as the
 * reference's example sends it. Devices outside the product are refused, names not yet groups are created as the
 * per-device assignment does (both unconfirmed for the batch form).
 */
function batchAssign(ctx: RequestContext, product: FakeProduct): Reply {
	const body = bodyFields(ctx);
	if (body.action !== 'groups') throw badRequest('action must be groups'); // (text unconfirmed)
	const ids = body.devices;
	if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id): id is string => typeof id === 'string')) {
		throw badRequest('devices must be a non-empty array of device IDs'); // (text unconfirmed)
	}
	const metadata = body.metadata;
	if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw badRequest('metadata is required'); // (text unconfirmed)
	const { add, remove } = metadata as Record<string, unknown>;
	const adding = add === undefined ? [] : nameList(add, 'metadata.add');
	const removing = remove === undefined ? [] : nameList(remove, 'metadata.remove');
	if (adding.length === 0 && removing.length === 0) throw badRequest('metadata must name groups to add or remove'); // (text unconfirmed)
	const devices: FakeDevice[] = [];
	const outside: string[] = [];
	for (const id of ids) {
		const device = ctx.fleet.devices.get(id.toLowerCase());
		if (device && device.product_id === product.id) devices.push(device);
		else outside.push(id);
	}
	if (outside.length > 0) throw badRequest(`Devices not in this product: ${outside.join(', ')}`); // (text unconfirmed)
	const now = new Date(ctx.now()).toISOString();
	for (const name of adding) if (!product.groups.includes(name)) product.groups.push(name);
	for (const device of devices) {
		device.groups = [...new Set([...device.groups.filter((group) => !removing.includes(group)), ...adding])];
		device.updated_at = now;
	}
	retarget(ctx.fleet, product);
	return ok({ ok: true });
}

/** A request value from the query (the reference's example) or the body (its field table). */
function impactValue(ctx: RequestContext, name: string): unknown {
	return queryValue(ctx, name) ?? (hasField(ctx, name) ? field(ctx, name) : undefined);
}

/**
 * "Impact of taking action" for `edit_groups_for_firmware`: how many devices would get an OTA update if the version
 * were released to these groups (none given: unreleased from every group) and, with `product_default`, as the default.
 * Answered in the shape of the reference's example, `{ devices: { firmware_update: { total, by_version } } }`.
 */
function impact(ctx: RequestContext, product: FakeProduct): Reply {
	if (impactValue(ctx, 'action') !== 'edit_groups_for_firmware') throw badRequest('action must be edit_groups_for_firmware'); // (text unconfirmed)
	const versionText = impactValue(ctx, 'firmware_version');
	const version = typeof versionText === 'string' || typeof versionText === 'number' ? Number(versionText) : NaN;
	if (!Number.isInteger(version) || version < 1) throw badRequest('firmware_version must be a positive integer'); // (text unconfirmed)
	const list = firmwareOf(ctx.fleet, product);
	const firmware = list.find((candidate) => candidate.version === version);
	if (!firmware) throw notFound('Firmware version not found'); // (text unconfirmed)
	const groupsValue = impactValue(ctx, 'groups');
	const groups = groupsValue === undefined ? [] : toText(groupsValue, 'groups').split(',').map((group) => group.trim()).filter(Boolean);
	const unknown = groups.find((group) => !product.groups.includes(group));
	if (unknown !== undefined) throw badRequest(`Group ${unknown} does not exist`); // (text unconfirmed)
	const defaultValue = impactValue(ctx, 'product_default');
	const productDefault = defaultValue === undefined ? undefined : toBoolean(defaultValue, 'product_default');

	// The releases as they would be, then each device's version before and after.
	const planned = list.map((entry) => ({
		version: entry.version,
		groups: entry === firmware ? groups : entry.groups.filter((group) => !groups.includes(group)),
		product_default: productDefault === undefined ? entry.product_default : entry === firmware ? productDefault : productDefault ? false : entry.product_default,
	}));
	const plannedDefault = planned.find((entry) => entry.product_default)?.version ?? null;
	const byVersion = new Map<number, number>();
	for (const device of ctx.fleet.productDevices(product.id)) {
		if (device.development || device.desired_firmware_version !== null) continue;
		const byGroup = planned.filter((entry) => entry.groups.some((group) => device.groups.includes(group))).map((entry) => entry.version);
		const after = byGroup.length > 0 ? Math.max(...byGroup) : plannedDefault;
		if (after !== null && after !== device.firmware_version) byVersion.set(after, (byVersion.get(after) ?? 0) + 1);
	}
	const byVersionList = [...byVersion.entries()].sort(([a], [b]) => a - b).map(([entryVersion, total]) => ({ version: entryVersion, total }));
	const total = byVersionList.reduce((sum, entry) => sum + entry.total, 0);
	return ok({ devices: { firmware_update: { total, by_version: byVersionList } } });
}
