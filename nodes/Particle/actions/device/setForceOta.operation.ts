import type { IExecuteFunctions } from 'n8n-workflow';

import { deviceField, productField } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { readFlag } from '../productFirmware/fields';
import { updateDevice } from './update';

export const description = fieldsFor('device', 'setForceOta', [
	{ ...productField(), description: 'The product of the device' },
	deviceField({}),
	{
		displayName: 'Force OTA Updates',
		name: 'forced',
		type: 'boolean',
		default: true,
		description:
			'Whether the cloud delivers firmware updates even while the device\'s own firmware has disabled them (System.disableUpdates()); off returns the choice to the device',
	},
]);

/**
 * "Force enable OTA updates": `firmware_updates_forced`. The reference shows it on `/v1/devices/:deviceId`, which
 * answers only the device's owner; a product's team reaches its devices through the product device route, so it is
 * sent there, with the product's other device settings (unconfirmed: the reference lists it for that route nowhere).
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const forced = readFlag.call(this, 'forced', itemIndex, true, 'Force OTA Updates');
	return await updateDevice.call(this, itemIndex, context, { firmware_updates_forced: forced }, true);
}
