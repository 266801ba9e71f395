import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { v1Path } from '../../../shared/paths';
import { expectListIn } from '../../../shared/shapes';
import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const response = await request<unknown>(this, {
		method: 'GET',
		path: v1Path('orgs'),
		itemIndex,
		gate,
	});
	return expectListIn(this, response, 'organizations', 'organization list', itemIndex);
}
