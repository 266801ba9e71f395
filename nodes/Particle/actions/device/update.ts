/** The device operations that are a PUT on the device itself (rename, notes, signal, development flag). */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { readDevice, readDeviceScope, readProductScope } from '../common';
import type { OperationContext } from '../types';

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

/** Device ID typed in (not picked): for devices not in any list yet, such as one being claimed or imported. */
export function deviceIdField(operation: string, description: string) {
	return {
		displayName: 'Device ID',
		name: 'deviceId',
		type: 'string' as const,
		required: true,
		default: '',
		placeholder: 'e.g. 0123456789abcdef01234567',
		description,
		displayOptions: { show: { resource: ['device'], operation: [operation] } },
	};
}
