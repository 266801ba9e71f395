import type { IExecuteFunctions } from 'n8n-workflow';

import { checkName } from '../../../shared/limits';
import { deviceTargetFields, throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

export const description = fieldsFor('device', 'rename', [
	...deviceTargetFields(),
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. greenhouse-argon',
		description: 'At most 64 characters',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const name = String(this.getNodeParameter('newName', itemIndex, '', { ensureType: 'string' })).trim();
	throwIfInvalid(this, checkName(name, 'New Name'), itemIndex);
	return await updateDevice.call(this, itemIndex, context, { name });
}
