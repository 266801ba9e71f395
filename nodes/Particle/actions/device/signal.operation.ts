import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { deviceTargetFields } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

const show = { resource: ['device'], operation: ['signal'] };

export const description: INodeProperties[] = [
	...deviceTargetFields(show),
	{
		displayName: 'Rainbow LED',
		name: 'signal',
		type: 'options',
		default: 'start',
		description: 'Start or stop the rainbow LED, which makes the device easy to spot',
		options: [
			{ name: 'Start', value: 'start', description: 'Make the LED cycle through rainbow colours, to find the device' },
			{ name: 'Stop', value: 'stop', description: 'Return the LED to its normal status colours' },
		],
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const start = this.getNodeParameter('signal', itemIndex, 'start') === 'start';
	// Particle takes the flag as the strings "1" and "0".
	return await updateDevice.call(this, itemIndex, context, { signal: start ? '1' : '0' });
}
