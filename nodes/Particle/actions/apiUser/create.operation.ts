import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { nameAndScopeFields, readNameAndScopes, teamFields } from './fields';

export const description: INodeProperties[] = [...teamFields('create'), ...nameAndScopeFields('create', true)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const body = readNameAndScopes.call(this, itemIndex, true);
	const response = await request<{ created?: IDataObject }>(this, {
		method: 'POST',
		path: ownerPath.call(this, itemIndex, 'team'),
		body,
		itemIndex,
		gate,
	});
	// Particle shows the new token here and never again: it stays in the output, as Particle gives it, on purpose.
	return response.created ?? response;
}
