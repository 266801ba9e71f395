import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';

export const description: INodeProperties[] = simTargetFields('get');

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	return await request<IDataObject>(this, {
		method: 'GET',
		path: simPath.call(this, itemIndex, true),
		itemIndex,
		gate,
	});
}
