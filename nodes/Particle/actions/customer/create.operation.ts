import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { productClientFields, request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer, readProduct } from './fields';

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
	const client = await productClientFields(this, itemIndex);
	const response = await request<IDataObject>(this, {
		method: 'POST',
		path: productPath(product, 'customers'),
		form: { ...client, email, ...(password === '' ? { no_password: 'true' } : { password }) },
		itemIndex,
		gate,
	});
	return { customer: email, ...response };
}
