import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { organizationField, organizationPath, readOrganization } from './fields';

export const description: INodeProperties[] = [
	organizationField({ resource: ['organization'], operation: ['getProducts'] }),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const organization = readOrganization.call(this, itemIndex);
	const response = await request<{ products?: IDataObject[] }>(this, {
		method: 'GET',
		path: organizationPath(organization, 'products'),
		itemIndex,
		gate,
	});
	return response.products ?? [];
}
