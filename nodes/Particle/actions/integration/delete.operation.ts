import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { integrationIdField, integrationOwnerFields, readIntegrationPath } from './fields';

export const description = fieldsFor('integration', 'delete', [...integrationOwnerFields(), integrationIdField()]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { id, path } = readIntegrationPath.call(this, itemIndex);
	// Particle answers 204 No Content: the output says what happened instead.
	await client.send('DELETE', path);
	return { deleted: true, id };
}
