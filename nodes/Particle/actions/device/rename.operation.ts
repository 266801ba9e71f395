import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkName } from '../../../shared/limits';
import { deviceTargetFields, throwIfInvalid } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { updateDevice } from './update';

const show = { resource: ['device'], operation: ['rename'] };

export const description: INodeProperties[] = [
	...deviceTargetFields(show),
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. greenhouse-argon',
		description: 'At most 64 characters',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult> {
	const name = String(this.getNodeParameter('newName', itemIndex, '', { ensureType: 'string' })).trim();
	throwIfInvalid(this, checkName(name, 'New Name'), itemIndex);
	return await updateDevice.call(this, itemIndex, context, { name });
}
