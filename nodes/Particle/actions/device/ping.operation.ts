import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceTargetFields, readDevice, readDeviceScope } from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['device'], operation: ['ping'] };

export const description: INodeProperties[] = [...deviceTargetFields(show)];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);
	const response = await request<IDataObject>(this, { method: 'PUT', path: devicePath(scope, device, 'ping'), itemIndex, gate });
	return { id: device, ...response };
}
