import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { integrationIdField, integrationOwnerFields, readIntegrationPath } from './fields';

export const description: INodeProperties[] = [...integrationOwnerFields('test'), integrationIdField('test')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { id, path } = readIntegrationPath.call(this, itemIndex, 'test');
	// A write: the target receives a test event, so the transport never sends it twice.
	const response = await request<IDataObject>(this, { method: 'POST', path, itemIndex, gate });
	return { id, ...response };
}
