import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { agreementOwnerFields } from './fields';

export const description: INodeProperties[] = agreementOwnerFields('getNotifications', true);

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const agreement = segment(String(this.getNodeParameter('agreementId', itemIndex)), 'Service Agreement ID');
	const response = await request<{ data?: IDataObject[] }>(this, {
		method: 'GET',
		path: ownerPath.call(this, itemIndex, 'service_agreements', agreement, 'notifications'),
		itemIndex,
		gate,
	});
	return response.data ?? [];
}
