import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { requestAllPages } from '../../../shared/transport';
import { readLimit, returnAllOrLimit } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readProduct } from './fields';

const show = { resource: ['customer'], operation: ['getAll'] };

export const description: INodeProperties[] = [...customerTargetFields('getAll', false), ...returnAllOrLimit(show)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	return await requestAllPages<IDataObject>(
		this,
		{ method: 'GET', path: productPath(product, 'customers'), itemIndex, gate },
		{ itemsKey: 'customers', limit: readLimit.call(this, itemIndex) },
	);
}
