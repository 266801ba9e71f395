/** The PUT on the device that Rename, Update Notes, Signal and Set Development share. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { readDeviceTarget } from '../common';
import type { OperationContext } from '../types';

/** Rename, notes, signal and the development flag are one PUT on the device; Particle echoes what changed. */
export async function updateDevice(
	this: IExecuteFunctions,
	itemIndex: number,
	{ client }: OperationContext,
	body: IDataObject,
	productOnly = false,
): Promise<IDataObject> {
	const { scope, device } = await readDeviceTarget.call(this, itemIndex, client, productOnly);
	return { id: device, ...(await client.send<IDataObject>('PUT', devicePath(scope, device), { body })) };
}
