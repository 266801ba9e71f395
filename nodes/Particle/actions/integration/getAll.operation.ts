import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { expectList } from '../../../shared/shapes';
import { request } from '../../../shared/transport';
import { readLimit, returnAllOrLimit } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { integrationOwnerFields, readIntegrationsPath, showFor } from './fields';
import { hideVerificationHeader } from './shared';

export const description: INodeProperties[] = [...integrationOwnerFields('getAll'), ...returnAllOrLimit(showFor('getAll'))];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const path = readIntegrationsPath.call(this, itemIndex);
	const limit = readLimit.call(this, itemIndex);
	// Particle answers with one list, not in pages ("List integrations"): the limit is applied here.
	const response = await request<unknown>(this, { method: 'GET', path, itemIndex, gate });
	const integrations = expectList(this, response, 'integration list', itemIndex).map((integration) => hideVerificationHeader(integration));
	return limit === undefined ? integrations : integrations.slice(0, limit);
}
