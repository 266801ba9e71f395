/** The PUT on the device that Rename, Update Notes, Signal and Set Development share. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { readDevice, readDeviceScope, readProductScope } from '../common';
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
