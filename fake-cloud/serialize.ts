/**
 * JSON shapes of devices and products as the API returns them. Simulation-only fields never leave this file.
 */
import type { FakeDevice, FakeProduct, Fleet } from './fleet';

export type Json = Record<string, unknown>;

/** Fields every device listing has. */
function baseDevice(d: FakeDevice): Json {
	const radio = d.cellular ? { iccid: d.iccid, last_iccid: d.iccid, imei: d.imei } : { mac_wifi: d.mac_wifi };
	return {
		id: d.id,
		name: d.name,
		last_app: d.last_app,
		last_ip_address: d.last_ip_address,
		last_heard: d.last_heard,
		last_handshake_at: d.last_handshake_at,
		product_id: d.product_id,
		online: d.online,
		connected: d.online,
		platform_id: d.platform_id,
		cellular: d.cellular,
		notes: d.notes,
		status: d.status,
		serial_number: d.serial_number,
		...radio,
		system_firmware_version: d.system_firmware_version,
		firmware_updates_enabled: d.firmware_updates_enabled,
		firmware_updates_forced: d.firmware_updates_forced,
	};
}

function productFields(d: FakeDevice): Json {
	return {
		groups: [...d.groups],
		firmware_product_id: d.firmware_product_id,
		firmware_version: d.firmware_version,
		desired_firmware_version: d.desired_firmware_version,
		targeted_firmware_release_version: d.targeted_firmware_release_version,
		development: d.development,
		quarantined: d.quarantined,
		denied: d.denied,
	};
}

/** Only claimed devices carry an owner. */
function ownerField(d: FakeDevice): Json {
	return d.owner === null ? {} : { owner: d.owner };
}

function describe(d: FakeDevice): Json {
	const variables: Record<string, string> = {};
	for (const [name, v] of Object.entries(d.variables)) variables[name] = v.type;
	return { functions: Object.keys(d.functions), variables };
}

/** An entry of `GET /v1/devices`. */
export function sandboxListDevice(d: FakeDevice): Json {
	return baseDevice(d);
}

/** An entry of `GET /v1/products/:p/devices`. */
export function productListDevice(d: FakeDevice): Json {
	return { ...baseDevice(d), ...ownerField(d), ...productFields(d) };
}

/** `GET /v1/devices/:id` (productView false) or `GET /v1/products/:p/devices/:id` (true). */
export function deviceDetail(d: FakeDevice, productView: boolean): Json {
	// Only "Get device information" shows `device_protection`; the list examples have none.
	return {
		...baseDevice(d),
		...ownerField(d),
		...(productView ? productFields(d) : {}),
		...describe(d),
		device_protection: { status: d.deviceProtection },
	};
}

export function coreInfo(d: FakeDevice): Json {
	return {
		name: d.name,
		deviceID: d.id,
		connected: d.online,
		last_handshake_at: d.last_handshake_at,
		last_app: d.last_app,
		last_heard: d.last_heard,
	};
}

export function productJson(fleet: Fleet, p: FakeProduct): Json {
	const org = fleet.organizationOf(p);
	const owner = org ? { org: org.slug, organization_id: org.id } : { user: fleet.user.username };
	return {
		id: p.id,
		platform_id: p.platform_id,
		name: p.name,
		slug: p.slug,
		description: p.description,
		...owner,
		groups: [...p.groups],
		device_count: fleet.productDevices(p.id).length,
		requires_activation_codes: false,
		settings: { location: {}, known_application: { opt_in: false }, quarantine: true },
		device_protection: p.deviceProtection,
	};
}
