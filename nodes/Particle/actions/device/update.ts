/** Helpers shared by the device operations that change a device: the PUT on the device, and the typed-in device ID. */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkDeviceId } from '../../../shared/limits';
import { devicePath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { readDevice, readDeviceScope, readProductScope, throwIfInvalid } from '../common';
import type { OperationContext } from '../types';

/** Rename, notes, signal and the development flag are one PUT on the device; Particle echoes what changed. */
export async function updateDevice(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
	body: IDataObject,
	productOnly = false,
): Promise<IDataObject> {
	const scope = productOnly ? readProductScope.call(this, itemIndex) : readDeviceScope.call(this, itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);
	const response = await request<IDataObject>(this, { method: 'PUT', path: devicePath(scope, device), body, itemIndex, gate });
	return { id: device, ...response };
}

/**
 * Device ID typed in, not picked: a device being claimed or imported is in none of the lists a picker could show.
 */
export function deviceIdField(operation: string, description: string): INodeProperties {
	return {
		displayName: 'Device ID',
		name: 'deviceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 0123456789abcdef01234567',
		description,
		displayOptions: { show: { resource: ['device'], operation: [operation] } },
	};
}

/** The typed-in device ID, checked before sending; Particle's IDs are lower-case hex. */
export function readDeviceId(this: IExecuteFunctions, itemIndex: number): string {
	const id = String(this.getNodeParameter('deviceId', itemIndex, '', { ensureType: 'string' })).trim().toLowerCase();
	throwIfInvalid(this, checkDeviceId(id), itemIndex);
	return id;
}
