import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { expectListIn } from '../../../shared/shapes';
import { request } from '../../../shared/transport';
import { productField, readProductScope } from '../common';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [productField({ resource: ['product'], operation: ['getTeamMembers'] })];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { product } = readProductScope.call(this, itemIndex);
	const response = await request<unknown>(this, {
		method: 'GET',
		path: productPath(product, 'team'),
		itemIndex,
		gate,
	});
	// People have a role; API users are marked is_programmatic.
	return expectListIn(this, response, 'team', 'team list', itemIndex);
}
