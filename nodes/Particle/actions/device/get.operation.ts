import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceTargetFields, readDevice, readDeviceScope, simplifyField } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { shapeDevice } from './simplify';

const show = { resource: ['device'], operation: ['get'] };

export const description: INodeProperties[] = [...deviceTargetFields(show), simplifyField(show, 'device')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);
	const response = await request<IDataObject>(this, {
		method: 'GET',
		path: devicePath(scope, device),
		itemIndex,
		gate,
	});
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return shapeDevice(response, simplify);
}
