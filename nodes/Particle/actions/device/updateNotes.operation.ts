import type { IExecuteFunctions } from 'n8n-workflow';

import { deviceTargetFields } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

export const description = fieldsFor('device', 'updateNotes', [
	...deviceTargetFields(),
	{
		displayName: 'Notes',
		name: 'notes',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Free text kept with the device in the Particle console; empty clears it',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const notes = String(this.getNodeParameter('notes', itemIndex, '', { ensureType: 'string' }));
	return await updateDevice.call(this, itemIndex, context, { notes });
}
