/**
 * The typed-in device ID of Claim and Add to Product: a device being claimed or imported is in none of the lists a
 * picker could show.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkDeviceId } from '../../../shared/limits';
import { throwIfInvalid } from '../common';

export function deviceIdField(description: string): INodeProperties {
	return {
		displayName: 'Device ID',
		name: 'deviceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 0123456789abcdef01234567',
		description,
	};
}

/** The typed-in device ID, checked before sending; Particle's IDs are lower-case hex. */
export function readDeviceId(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('deviceId', itemIndex, '', { ensureType: 'string' })).trim().toLowerCase();
	throwIfInvalid(this, checkDeviceId(id), itemIndex);
	return id;
}
