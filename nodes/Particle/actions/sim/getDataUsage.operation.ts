import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expectListIn } from '../../../shared/shapes';
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
		description:
			'Whether to output one item per day (ICCID, date, megabytes used that day and so far) instead of one item with the list of days',
		displayOptions: { show: { resource: ['sim'], operation: ['getDataUsage'] } },
	},
];

interface DataUsage extends IDataObject {
	iccid?: string;
	usage_by_day?: IDataObject[];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const response = await request<DataUsage>(this, {
		method: 'GET',
		path: simPath.call(this, itemIndex, true, 'data_usage'),
		itemIndex,
		gate,
	});
	if (!(this.getNodeParameter('splitByDay', itemIndex, false) as boolean)) return response;
	const days = expectListIn(this, response, 'usage_by_day', 'list of days', itemIndex);
	return days.map((day) => ({ iccid: response.iccid ?? null, ...day }));
}
