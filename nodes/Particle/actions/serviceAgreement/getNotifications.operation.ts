import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expectListIn } from '../../../shared/shapes';
import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { agreementIdField, agreementOwnerFields, readAgreementId } from './fields';

export const description: INodeProperties[] = [
	...agreementOwnerFields('getNotifications'),
	agreementIdField('getNotifications'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const agreement = readAgreementId.call(this, itemIndex);
	const response = await request<unknown>(this, {
		method: 'GET',
		path: ownerPath.call(this, itemIndex, 'service_agreements', agreement, 'notifications'),
		itemIndex,
		gate,
	});
	return expectListIn(this, response, 'data', 'notification list', itemIndex);
}
