import type { IExecuteFunctions } from 'n8n-workflow';

import { deviceField, productField } from '../common';
import { fieldsFor } from '../kit';
import { readFlag, readVersion, versionField } from '../productFirmware/fields';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

export const description = fieldsFor('device', 'lockFirmware', [
	{ ...productField(), description: 'The product of the device (firmware locks exist only in products)' },
	deviceField({}),
	versionField('The product firmware version the device must run, whatever is released to the product or its groups'),
	{
		displayName: 'Flash Now',
		name: 'flash',
		type: 'boolean',
		default: false,
		description:
			'Whether to update the device right away. Particle can deliver it only while the device is online; otherwise the device updates the next time it connects.',
	},
]);

/** "Lock product device": `desired_firmware_version` and, when asked, `flash: true`; Particle echoes the lock. */
export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const version = readVersion.call(this, itemIndex);
	const flash = readFlag.call(this, 'flash', itemIndex, false, 'Flash Now');
	return await updateDevice.call(this, itemIndex, context, { desired_firmware_version: version, ...(flash ? { flash: true } : {}) }, true);
}
