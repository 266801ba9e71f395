import type { IExecuteFunctions } from 'n8n-workflow';

import { deviceField, productField } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

export const description = fieldsFor('device', 'unlockFirmware', [
	{ ...productField(), description: 'The product of the device (firmware locks exist only in products)' },
	deviceField({}),
]);

/** "Unlock product device": `desired_firmware_version: null`; the device then runs what is released to it. */
export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	return await updateDevice.call(this, itemIndex, context, { desired_firmware_version: null }, true);
}
