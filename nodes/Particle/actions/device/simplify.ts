import type { IDataObject } from 'n8n-workflow';

import { platformName } from '../../../shared/platforms';
import { pick } from '../common';

/** What a workflow usually needs from Particle's device object (sandbox and product fields alike). */
const DEVICE_FIELDS = [
	'id',
	'name',
	'online',
	'last_heard',
	'last_handshake_at',
	'platform_id',
	'platform',
	'product_id',
	'serial_number',
	'cellular',
	'system_firmware_version',
	'firmware_version',
	'groups',
	'development',
	'quarantined',
	'notes',
] as const;

/**
 * The device with `platform` ("Photon") right after Particle's `platform_id` (kept): null for an ID Particle does not
 * list. A device without `platform_id` is returned as it came.
 */
export function withPlatformName(device: IDataObject): IDataObject {
	if (!('platform_id' in device)) return device;
	const named: IDataObject = {};
	for (const [key, value] of Object.entries(device)) {
		if (key === 'platform') continue;
		named[key] = value;
		if (key === 'platform_id') named.platform = platformName(value) ?? null;
	}
	return named;
}

export function simplifyDevice(device: IDataObject): IDataObject {
	return pick(withPlatformName(device), DEVICE_FIELDS);
}

/** A device as the Get operations output it: simplified, or Particle's whole object; both named by platform. */
export function shapeDevice(device: IDataObject, simplify: boolean): IDataObject {
	return simplify ? simplifyDevice(device) : withPlatformName(device);
}
