import type { IExecuteFunctions } from 'n8n-workflow';

import { throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, passwordField, readCustomerTarget } from './fields';

export const description = fieldsFor('customer', 'updatePassword', [...customerTargetFields(), passwordField('New Password', { required: true })]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { customer, path } = readCustomerTarget.call(this, itemIndex);
	const password = String(this.getNodeParameter('password', itemIndex, '', { ensureType: 'string' }));
	if (password === '') throwIfInvalid(this, { field: 'New Password', message: 'New Password is empty' }, itemIndex);
	const response = await client.send('PUT', path, { body: { password } });
	// The password itself is never part of the output.
	return { ...response, customer, passwordUpdated: true };
}
