import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment, v1Path } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { organizationField, readOrganization } from './fields';

export const description: INodeProperties[] = [organizationField({ resource: ['organization'], operation: ['getTeamMembers'] })];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const organization = readOrganization.call(this, itemIndex);
	const response = await request<{ team?: IDataObject[] }>(this, {
		method: 'GET',
		path: v1Path('orgs', segment(organization, 'Organization'), 'team'),
		itemIndex,
		gate,
	});
	return response.team ?? [];
}
