import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { agreementOwnerFields } from './fields';

export const description: INodeProperties[] = [
	...agreementOwnerFields('getUsageReport', false),
	{
		displayName: 'Usage Report ID',
		name: 'reportId',
		type: 'string',
		required: true,
		default: '',
		description: 'From Create Usage Report; the download URL appears once its state is "available"',
		displayOptions: { show: { resource: ['serviceAgreement'], operation: ['getUsageReport'] } },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const report = segment(String(this.getNodeParameter('reportId', itemIndex)), 'Usage Report ID');
	const response = await request<{ data?: IDataObject }>(this, {
		method: 'GET',
		path: ownerPath.call(this, itemIndex, 'usage_reports', report),
		itemIndex,
		gate,
	});
	return response.data ?? response;
}
