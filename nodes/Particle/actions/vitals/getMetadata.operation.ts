import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vitalsPath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceTargetFields } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { readVitalsTarget } from './shared';

const show = { resource: ['vitals'], operation: ['getMetadata'] };

export const description: INodeProperties[] = [...deviceTargetFields(show)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { scope, device } = await readVitalsTarget.call(this, itemIndex, gate);
	const response = await request<{ diagnostics_metadata?: IDataObject }>(this, {
		method: 'GET',
		path: vitalsPath(scope, device, 'metadata'),
		itemIndex,
		gate,
	});
	return { deviceId: device, metadata: response.diagnostics_metadata ?? response };
}
