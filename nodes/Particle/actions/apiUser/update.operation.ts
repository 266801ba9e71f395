import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { throwIfInvalid } from '../common';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { nameAndScopeFields, readNameAndScopes, teamFields, usernameField } from './fields';

export const description: INodeProperties[] = [...teamFields('update'), usernameField('update'), ...nameAndScopeFields('update', false)];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const username = segment(String(this.getNodeParameter('username', itemIndex)), 'Username');
	const body = readNameAndScopes.call(this, itemIndex, false);
	if (Object.keys(body).length === 0) {
		throwIfInvalid(this, { field: 'Friendly Name', message: 'Set a new Friendly Name or Scopes to update' }, itemIndex);
	}
	const response = await request<{ created?: IDataObject; updated?: IDataObject }>(this, {
		method: 'PUT',
		path: ownerPath.call(this, itemIndex, 'team', username),
		body,
		itemIndex,
		gate,
	});
	return response.created ?? response.updated ?? response;
}
