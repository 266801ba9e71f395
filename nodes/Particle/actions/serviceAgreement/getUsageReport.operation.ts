import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { agreementOwnerFields } from './fields';

export const description: INodeProperties[] = [
	...agreementOwnerFields('getUsageReport'),
	{
		displayName: 'Usage Report ID',
		name: 'reportId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1',
		description:
			'The "ID" of the item from Create Usage Report. Its state is "pending" until Particle has built it; then "available", with a download URL.',
		displayOptions: { show: { resource: ['serviceAgreement'], operation: ['getUsageReport'] } },
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const report = segment(String(this.getNodeParameter('reportId', itemIndex, '', { ensureType: 'string' })), 'Usage Report ID');
	// Reports hang off the owner, not the agreement: /v1/user/usage_reports/:id or /v1/orgs/:org/usage_reports/:id.
	const response = await request<{ data?: IDataObject }>(this, {
		method: 'GET',
		path: ownerPath.call(this, itemIndex, 'usage_reports', report),
		itemIndex,
		gate,
	});
	return response.data ?? response;
}
