import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import { throwIfInvalid } from '../common';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { nameAndScopeFields, readNameAndScopes, readUsername, teamFields, usernameField, usernameSegment } from './fields';

export const description: INodeProperties[] = [
	...teamFields('update'),
	usernameField('update'),
	...nameAndScopeFields('update', false),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const username = readUsername.call(this, itemIndex);
	const body = readNameAndScopes.call(this, itemIndex, false);
	if (Object.keys(body).length === 0) {
		throwIfInvalid(this, { field: 'Friendly Name', message: 'Set a new Friendly Name or Scopes to update' }, itemIndex);
	}
	const response = await request<{ created?: IDataObject; updated?: IDataObject }>(this, {
		method: 'PUT',
		path: ownerPath.call(this, itemIndex, 'team', usernameSegment(username)),
		body,
		itemIndex,
		gate,
	});
	// Particle answers like Create, with the new token (the shape of this answer is not documented).
	return response.created ?? response.updated ?? response;
}
