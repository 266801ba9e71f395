import type { IExecuteFunctions } from 'n8n-workflow';

import { deviceTargetFields } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

export const description = fieldsFor('device', 'signal', [
	...deviceTargetFields(),
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
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const start = this.getNodeParameter('signal', itemIndex, 'start') === 'start';
	// Particle takes the flag as the strings "1" and "0".
	return await updateDevice.call(this, itemIndex, context, { signal: start ? '1' : '0' });
}
