import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { vitalsPath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceTargetFields } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { readVitalsTarget } from './shared';

const show = { resource: ['vitals'], operation: ['refresh'] };

export const description: INodeProperties[] = [...deviceTargetFields(show)];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const { scope, device } = await readVitalsTarget.call(this, itemIndex, gate);
	// Particle answers 202 as soon as the request is sent; the device then publishes spark/device/diagnostics/update.
	const response = await request(this, { method: 'POST', path: vitalsPath(scope, device, 'update'), itemIndex, gate });
	return { ...response, deviceId: device, requested: true };
}
