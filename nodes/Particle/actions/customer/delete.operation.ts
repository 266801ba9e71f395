import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath, segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer, readProduct } from './fields';

export const description: INodeProperties[] = [...customerTargetFields('delete')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const customer = readCustomer.call(this, itemIndex);
	const response = await request(this, {
		method: 'DELETE',
		path: productPath(product, 'customers', segment(customer, 'Customer')),
		itemIndex,
		gate,
	});
	return { ...response, customer, deleted: true };
}
