import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { integrationIdField, integrationOwnerFields, readIntegrationPath } from './fields';

export const description: INodeProperties[] = [...integrationOwnerFields('delete'), integrationIdField('delete')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { id, path } = readIntegrationPath.call(this, itemIndex);
	// Particle answers 204 No Content: the output says what happened instead.
	await request(this, { method: 'DELETE', path, itemIndex, gate });
	return { deleted: true, id };
}
