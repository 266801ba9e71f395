import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { apiUserPath, nameAndScopeFields, readNameAndScopes, readUsername, teamFields, usernameField } from './fields';

export const description = fieldsFor('apiUser', 'update', [...teamFields(), usernameField(), ...nameAndScopeFields(false)]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const username = readUsername.call(this, itemIndex);
	const body = readNameAndScopes.call(this, itemIndex, false);
	if (Object.keys(body).length === 0) {
		throwIfInvalid(this, { field: 'Friendly Name', message: 'Set a new Friendly Name or Scopes to update' }, itemIndex);
	}
	const response = await client.send<{ created?: IDataObject; updated?: IDataObject }>('PUT', apiUserPath.call(this, itemIndex, username), { body });
	// Particle answers like Create, with the new token (the shape of this answer is not documented).
	return response.created ?? response.updated ?? response;
}
