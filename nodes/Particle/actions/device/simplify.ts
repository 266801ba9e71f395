import type { IDataObject } from 'n8n-workflow';

import { pick } from '../common';

/** What a workflow usually needs from Particle's device object (sandbox and product fields alike). */
const DEVICE_FIELDS = [
	'id',
	'name',
	'online',
	'last_heard',
	'last_handshake_at',
	'platform_id',
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

export function simplifyDevice(device: IDataObject): IDataObject {
	return pick(device, DEVICE_FIELDS);
}
