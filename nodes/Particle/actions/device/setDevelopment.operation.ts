import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { deviceField, productField } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

const show = { resource: ['device'], operation: ['setDevelopment'] };

export const description: INodeProperties[] = [
	{ ...productField(show), description: 'The product of the device (development devices exist only in products)' },
	deviceField(show),
	{
		displayName: 'Development',
		name: 'development',
		type: 'boolean',
		default: true,
		description:
			'Whether the device is a development device: on marks it (no automatic product firmware updates), off returns it to the fleet',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const development = this.getNodeParameter('development', itemIndex, true) as boolean;
	return await updateDevice.call(this, itemIndex, context, { development }, true);
}
