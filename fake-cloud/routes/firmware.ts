// Reference: Cloud API > Product firmware (Get product firmware; List all product firmwares; Upload product firmware; Edit product firmware; Release product firmware; Delete unreleased firmware binary); Firmware > Lock product device
/**
 * Product firmware: the versions a product has, uploaded as multipart, released as the product default or to groups,
 * and what that does to the devices. Each product device targets the highest version released to one of its groups,
 * else the product default (`targeted_firmware_release_version`; the precedence is unconfirmed); a locked device runs
 * its `desired_firmware_version` instead. Development devices get no automatic updates.
 *
 * The reference: a product default release is run by devices "the next time they handshake with the cloud"; an
 * intelligent release means "devices do not need to reconnect to the cloud to receive the update", so here an
 * intelligent release updates the online devices at once (each reboots: offline, then online), any other release
 * when a device next comes online. A lock with `flash` updates an online device at once.
 */
import { accessibleProduct } from '../access';
import { badRequest, notFound } from '../errors';
import { field, hasField, optionalField, toBoolean, toText } from '../fields';
import type { FakeDevice, FakeProduct, FakeProductFirmware, Fleet } from '../fleet';
import { ok, type Reply, type UploadedFile } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { Json } from '../serialize';

/** Seeded versions are listed as uploaded this long before the fleet's clock started. */
const DAY_MS = 86_400_000;

/** The product's firmware versions, oldest first; the versions its devices already run exist from the start. */
export function firmwareOf(fleet: Fleet, product: FakeProduct): FakeProductFirmware[] {
	watchHandshakes(fleet);
	const known = fleet.productFirmware.get(product.id);
	if (known) return known;
	const running = new Set<number>();
	for (const device of fleet.productDevices(product.id)) if (device.firmware_version !== null) running.add(device.firmware_version);
	const versions = [...running].sort((a, b) => a - b);
	const now = fleet.clock.now();
	const list = versions.map(
		(version, index): FakeProductFirmware => ({
			_id: firmwareId(product, version, index),
			version,
			title: `Version ${version}`,
			description: '',
			name: 'firmware.bin',
			size: 40_000 + version * 512,
			product_default: false,
			groups: [],
			mandatory: false,
			intelligent: false,
			uploaded_on: new Date(now - (versions.length - index) * DAY_MS).toISOString(),
			updated_at: null,
			uploaded_by: fleet.user.username,
			everReleased: false,
			bytes: null,
		}),
	);
	fleet.productFirmware.set(product.id, list);
	return list;
}

function firmwareId(product: FakeProduct, version: number, serial: number): string {
	return [product.id, version, serial].map((n) => n.toString(16).padStart(8, '0')).join('');
}

/** "Get product firmware"'s object; the list adds `device_count` as its example does. */
export function firmwareJson(fleet: Fleet, product: FakeProduct, firmware: FakeProductFirmware): Json {
	return {
		_id: firmware._id,
		version: firmware.version,
		title: firmware.title,
		description: firmware.description,
		name: firmware.name,
		size: firmware.size,
		product_default: firmware.product_default,
		groups: [...firmware.groups],
		mandatory: firmware.mandatory,
		uploaded_on: firmware.uploaded_on,
		product_id: product.id,
		uploaded_by: { username: firmware.uploaded_by },
		device_count: fleet.productDevices(product.id).filter((device) => device.firmware_version === firmware.version).length,
	};
}

/** The version in a path: a whole number from 1; anything else is a version no product has. */
function findFirmware(fleet: Fleet, product: FakeProduct, text: string): FakeProductFirmware {
	const version = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
	const found = firmwareOf(fleet, product).find((firmware) => firmware.version === version);
	if (!found) throw notFound('Firmware version not found'); // (text unconfirmed)
	return found;
}

function positiveVersion(value: unknown, name: string): number {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw badRequest(`${name} must be a positive integer`); // (text unconfirmed)
	return Number(text);
}

/** The version each device targets by the releases (groups first, then the product default), written on the device. */
export function retarget(fleet: Fleet, product: FakeProduct): void {
	const versions = firmwareOf(fleet, product);
	const productDefault = versions.find((firmware) => firmware.product_default)?.version ?? null;
	for (const device of fleet.productDevices(product.id)) {
		const byGroup = versions.filter((firmware) => firmware.groups.some((group) => device.groups.includes(group))).map((firmware) => firmware.version);
		device.targeted_firmware_release_version = byGroup.length > 0 ? Math.max(...byGroup) : productDefault;
	}
}

/** The version a device should run: its lock, else what the releases target; null when nothing is released to it. */
function wantedVersion(device: FakeDevice): number | null {
	return device.desired_firmware_version ?? device.targeted_firmware_release_version;
}

/**
 * The device takes the version it should run, if it takes updates (enabled, or forced by the cloud). `reboot`: it was
 * online and restarts into the new firmware (Particle's offline and online events).
 */
function deliver(fleet: Fleet, device: FakeDevice, reboot: boolean, explicit = false): void {
	const wanted = wantedVersion(device);
	if (wanted === null || wanted === device.firmware_version) return;
	if (device.development && !explicit) return;
	if (!device.firmware_updates_enabled && !device.firmware_updates_forced) return;
	device.firmware_version = wanted;
	if (reboot && device.online) fleet.restartSession(device.id);
}

const watchedFleets = new WeakSet<Fleet>();

/** A product device that comes online runs what it should run from then on. */
function watchHandshakes(fleet: Fleet): void {
	if (watchedFleets.has(fleet)) return;
	watchedFleets.add(fleet);
	fleet.events.on('event', (event) => {
		if (event.name !== 'spark/status' || event.data !== 'online') return;
		const device = fleet.devices.get(event.coreid);
		if (device && fleet.productOf(device)) deliver(fleet, device, false);
	});
}

/**
 * After a product device's PUT (groups, lock, development): targets follow the new groups; a lock with `flash` (the
 * reference: "immediately flash to a device", only when it "is currently online") updates an online device now.
 */
export function afterProductDeviceUpdate(fleet: Fleet, product: FakeProduct, device: FakeDevice, flash: boolean): void {
	retarget(fleet, product);
	if (flash && device.online && device.desired_firmware_version !== null) deliver(fleet, device, true, true);
}

export const firmwareRoutes: Route[] = [
	authed('GET', '/v1/products/:product/firmware', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'firmware:list');
		return ok(firmwareOf(ctx.fleet, product).map((firmware) => firmwareJson(ctx.fleet, product, firmware)));
	}),
	authed('POST', '/v1/products/:product/firmware', (ctx, who) => uploadFirmware(ctx, accessibleProduct(ctx, who, ctx.params.product, 'firmware:create'))),
	// Before the routes with a version: "release" is not a version.
	authed('PUT', '/v1/products/:product/firmware/release', (ctx, who) =>
		releaseFirmware(ctx, accessibleProduct(ctx, who, ctx.params.product, 'firmware:release')),
	),
	authed('GET', '/v1/products/:product/firmware/:version', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'firmware:get');
		return ok(firmwareJson(ctx.fleet, product, findFirmware(ctx.fleet, product, ctx.params.version)));
	}),
	authed('PUT', '/v1/products/:product/firmware/:version', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'firmware:update');
		const firmware = findFirmware(ctx.fleet, product, ctx.params.version);
		const title = optionalField(ctx, 'title', toText);
		const description = optionalField(ctx, 'description', toText);
		const mandatory = optionalField(ctx, 'mandatory', toBoolean);
		if (title !== undefined && title.trim() === '') throw badRequest('title cannot be empty'); // (text unconfirmed)
		if (title !== undefined) firmware.title = title;
		if (description !== undefined) firmware.description = description;
		if (mandatory !== undefined) firmware.mandatory = mandatory;
		firmware.updated_at = new Date(ctx.now()).toISOString();
		return ok(firmwareJson(ctx.fleet, product, firmware));
	}),
	authed('DELETE', '/v1/products/:product/firmware/:version', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'firmware:remove');
		const firmware = findFirmware(ctx.fleet, product, ctx.params.version);
		// "Delete a version of product firmware that has never been released."
		if (firmware.everReleased) throw badRequest('Only firmware that has never been released can be deleted'); // (text unconfirmed)
		const list = firmwareOf(ctx.fleet, product);
		list.splice(list.indexOf(firmware), 1);
		return { status: 204 };
	}),
];

/**
 * "Upload product firmware": multipart with `version`, `title`, the file as `file` (or `binary`, "for backwards
 * compatibility"), optionally `description` and `mandatory`. A bundle is sent as `application/zip`. A version the
 * product already has is refused (text unconfirmed).
 */
function uploadFirmware(ctx: RequestContext, product: FakeProduct): Reply {
	if (ctx.body.kind !== 'multipart') throw badRequest('The firmware must be sent as multipart/form-data'); // (text unconfirmed)
	const file: UploadedFile | undefined = ctx.body.files?.file ?? ctx.body.files?.binary;
	if (!file) throw badRequest('file is required'); // (text unconfirmed)
	if (file.bytes.length === 0) throw badRequest('file is empty'); // (text unconfirmed)
	if (!hasField(ctx, 'version')) throw badRequest('version is required'); // (text unconfirmed)
	const version = positiveVersion(field(ctx, 'version'), 'version');
	const title = hasField(ctx, 'title') ? toText(field(ctx, 'title'), 'title').trim() : '';
	if (title === '') throw badRequest('title is required'); // (text unconfirmed)
	const description = optionalField(ctx, 'description', toText) ?? '';
	const mandatory = optionalField(ctx, 'mandatory', toBoolean) ?? false;
	const list = firmwareOf(ctx.fleet, product);
	if (list.some((firmware) => firmware.version === version)) throw badRequest(`Version ${version} already exists`); // (text unconfirmed)
	const firmware: FakeProductFirmware = {
		_id: firmwareId(product, version, list.length),
		version,
		title,
		description,
		name: file.filename || 'firmware.bin',
		size: file.bytes.length,
		product_default: false,
		groups: [],
		mandatory,
		intelligent: false,
		uploaded_on: new Date(ctx.now()).toISOString(),
		updated_at: null,
		uploaded_by: ctx.fleet.user.username,
		everReleased: false,
		bytes: Buffer.from(file.bytes),
	};
	list.push(firmware);
	list.sort((a, b) => a.version - b.version);
	return ok(firmwareJson(ctx.fleet, product, firmware), 201);
}

/** `groups` as JSON array or a comma list (a form); `groups[]` as the reference's curl example sends it. */
function releaseGroups(ctx: RequestContext): string[] | undefined {
	const value = hasField(ctx, 'groups') ? field(ctx, 'groups') : hasField(ctx, 'groups[]') ? [field(ctx, 'groups[]')] : undefined;
	if (value === undefined) return undefined;
	const list = typeof value === 'string' ? value.split(',') : value;
	if (!Array.isArray(list) || !list.every((group): group is string => typeof group === 'string')) {
		throw badRequest('groups must be an array of group names'); // (text unconfirmed)
	}
	return [...new Set(list.map((group) => group.trim()).filter((group) => group !== ''))];
}

/**
 * "Release product firmware": `version`, optionally `product_default`, `groups`, `intelligent`. The groups sent are the
 * version's groups from then on, and a group has one released version, so they leave any other version (unconfirmed:
 * the reference names the fields only). `product_default` false takes the version off the default; absent, the
 * default stays as it was. The reference: "Before releasing firmware for the first time, the firmware must be running
 * on at least one device in your product fleet".
 */
function releaseFirmware(ctx: RequestContext, product: FakeProduct): Reply {
	if (!hasField(ctx, 'version')) throw badRequest('version is required'); // (text unconfirmed)
	const version = positiveVersion(field(ctx, 'version'), 'version');
	const productDefault = optionalField(ctx, 'product_default', toBoolean);
	const intelligent = optionalField(ctx, 'intelligent', toBoolean) ?? false;
	const groups = releaseGroups(ctx);
	const list = firmwareOf(ctx.fleet, product);
	const firmware = list.find((candidate) => candidate.version === version);
	if (!firmware) throw notFound('Firmware version not found'); // (text unconfirmed)
	const unknown = (groups ?? []).find((group) => !product.groups.includes(group));
	if (unknown !== undefined) throw badRequest(`Group ${unknown} does not exist`); // (text unconfirmed)
	const devices = ctx.fleet.productDevices(product.id);
	if (!firmware.everReleased && !devices.some((device) => device.firmware_version === version)) {
		throw badRequest('The firmware must be running on at least one device of the product before it is released'); // (text unconfirmed)
	}

	if (productDefault === true) for (const other of list) other.product_default = other === firmware;
	if (productDefault === false) firmware.product_default = false;
	if (groups !== undefined) {
		for (const other of list) if (other !== firmware) other.groups = other.groups.filter((group) => !groups.includes(group));
		firmware.groups = groups;
	}
	firmware.intelligent = intelligent;
	firmware.everReleased = true;
	firmware.updated_at = new Date(ctx.now()).toISOString();
	retarget(ctx.fleet, product);
	if (intelligent) for (const device of devices) if (device.online) deliver(ctx.fleet, device, true);
	return ok({ ...firmwareJson(ctx.fleet, product, firmware), updated_at: firmware.updated_at, intelligent });
}
