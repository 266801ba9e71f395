import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { productDeviceFields } from './productDevice';
import { updateDevice } from './update';

export const description = fieldsFor('device', 'setDevelopment', [
	...productDeviceFields('The product of the device (development devices exist only in products)'),
	{
		displayName: 'Development',
		name: 'development',
		type: 'boolean',
		default: true,
		description:
			'Whether the device is a development device: on marks it (no automatic product firmware updates), off returns it to the fleet',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const development = this.getNodeParameter('development', itemIndex, true) as boolean;
	return await updateDevice.call(this, itemIndex, context, { development }, true);
}
