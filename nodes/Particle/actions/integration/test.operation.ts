import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { integrationIdField, integrationOwnerFields, readIntegrationPath } from './fields';

export const description = fieldsFor('integration', 'test', [...integrationOwnerFields(), integrationIdField()]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { id, path } = readIntegrationPath.call(this, itemIndex, 'test');
	// A write: the target receives a test event, so the transport never sends it twice.
	return { id, ...(await client.send<IDataObject>('POST', path)) };
}
