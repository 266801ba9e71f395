import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { nameAndScopeFields, readNameAndScopes, teamFields } from './fields';

export const description = fieldsFor('apiUser', 'create', [...teamFields(), ...nameAndScopeFields(true)]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const body = readNameAndScopes.call(this, itemIndex, true);
	const response = await client.send<{ created?: IDataObject }>('POST', ownerPath.call(this, itemIndex, 'team'), { body });
	// Particle shows the new token here and never again: it stays in the output, as Particle gives it, on purpose.
	return response.created ?? response;
}
