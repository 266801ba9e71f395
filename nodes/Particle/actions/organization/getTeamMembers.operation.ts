import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expectListIn } from '../../../shared/shapes';
import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { organizationField, organizationPath, readOrganization } from './fields';

export const description: INodeProperties[] = [
	organizationField({ resource: ['organization'], operation: ['getTeamMembers'] }),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const organization = readOrganization.call(this, itemIndex);
	const response = await request<unknown>(this, {
		method: 'GET',
		path: organizationPath(organization, 'team'),
		itemIndex,
		gate,
	});
	// People have a role; API users are marked is_programmatic.
	return expectListIn(this, response, 'team', 'team list', itemIndex);
}
