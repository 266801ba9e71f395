import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';

export const description: INodeProperties[] = [
	...simTargetFields('getDataUsage'),
	{
		displayName: 'Split by Day',
		name: 'splitByDay',
		type: 'boolean',
		default: false,
		description: 'Whether to return one item per day instead of one item with the daily list',
		displayOptions: { show: { resource: ['sim'], operation: ['getDataUsage'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const response = await request<{ iccid?: string; usage_by_day?: IDataObject[] }>(this, {
		method: 'GET',
		path: simPath.call(this, itemIndex, true, 'data_usage'),
		itemIndex,
		gate,
	});
	if (!(this.getNodeParameter('splitByDay', itemIndex, false) as boolean)) return response;
	return (response.usage_by_day ?? []).map((day) => ({ iccid: response.iccid ?? null, ...day }));
}
