import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expectListIn } from '../../../shared/shapes';
import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { teamFields } from './fields';

export const description: INodeProperties[] = teamFields('getAll');

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const response = await request<unknown>(this, {
		method: 'GET',
		path: ownerPath.call(this, itemIndex, 'team'),
		itemIndex,
		gate,
	});
	// The team list holds people too; API users are the programmatic members.
	return expectListIn(this, response, 'team', 'team list', itemIndex).filter((member) => member.is_programmatic === true);
}
