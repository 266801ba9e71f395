import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { expectListIn } from '../../../shared/shapes';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';

export const description = fieldsFor('sim', 'getDataUsage', [
	...simTargetFields(),
	{
		displayName: 'Split by Day',
		name: 'splitByDay',
		type: 'boolean',
		default: false,
		description:
			'Whether to output one item per day (ICCID, date, megabytes used that day and so far) instead of one item with the list of days',
	},
]);

interface DataUsage extends IDataObject {
	iccid?: string;
	usage_by_day?: IDataObject[];
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const response = await client.get<DataUsage>(simPath.call(this, itemIndex, true, 'data_usage'));
	if (!(this.getNodeParameter('splitByDay', itemIndex, false) as boolean)) return response;
	const days = expectListIn(this, response, 'usage_by_day', 'list of days', itemIndex);
	return days.map((day) => ({ iccid: response.iccid ?? null, ...day }));
}
