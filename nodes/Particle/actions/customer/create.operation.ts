import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer, readProduct } from './fields';
import { sendWithProductClient } from './productClient';

const show = { resource: ['customer'], operation: ['create'] };

export const description: INodeProperties[] = [
	...customerTargetFields('create'),
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Leave empty to create a shadow customer (no password), the usual choice when your own app manages users',
		displayOptions: { show },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const email = readCustomer.call(this, itemIndex);
	const password = String(this.getNodeParameter('password', itemIndex, '', { ensureType: 'string' }));
	// Particle creates customers with the product client's ID and secret (HTTP Basic), form encoded, and no token.
	const response = await sendWithProductClient<IDataObject>(
		this,
		itemIndex,
		{
			method: 'POST',
			path: productPath(product, 'customers'),
			form: { email, ...(password === '' ? { no_password: 'true' } : { password }) },
		},
		gate,
	);
	return { customer: email, ...response };
}
