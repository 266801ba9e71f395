import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { integrationIdField, integrationOwnerFields, readIntegrationPath } from './fields';
import { hideVerificationHeader } from './shared';

export const description: INodeProperties[] = [...integrationOwnerFields('get'), integrationIdField('get')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { path } = readIntegrationPath.call(this, itemIndex);
	const response = await request<{ integration?: IDataObject }>(this, { method: 'GET', path, itemIndex, gate });
	// "Get integration" answers { integration: {...} }, with the last requests it sent in `logs`.
	return hideVerificationHeader(response.integration ?? response);
}
