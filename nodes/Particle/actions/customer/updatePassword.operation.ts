import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath, segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { throwIfInvalid } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer, readProduct } from './fields';

const show = { resource: ['customer'], operation: ['updatePassword'] };

export const description: INodeProperties[] = [
	...customerTargetFields('updatePassword'),
	{
		displayName: 'New Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const customer = readCustomer.call(this, itemIndex);
	const password = String(this.getNodeParameter('password', itemIndex, '', { ensureType: 'string' }));
	if (password === '') throwIfInvalid(this, { field: 'New Password', message: 'New Password is empty' }, itemIndex);
	const response = await request(this, {
		method: 'PUT',
		path: productPath(product, 'customers', segment(customer, 'Customer')),
		body: { password },
		itemIndex,
		gate,
	});
	// The password itself is never part of the output.
	return { ...response, customer, passwordUpdated: true };
}
