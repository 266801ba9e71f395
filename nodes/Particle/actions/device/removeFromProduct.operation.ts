import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceField, productField, readDevice, readProductScope } from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['device'], operation: ['removeFromProduct'] };

export const description: INodeProperties[] = [
	productField(show),
	deviceField(show),
	{
		displayName: 'Deny',
		name: 'deny',
		type: 'boolean',
		default: false,
		description: 'Whether to deny a quarantined device, so it cannot ask to join again',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const scope = readProductScope.call(this, itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);
	const deny = this.getNodeParameter('deny', itemIndex, false) as boolean;
	// Particle reads `deny` from the body of this DELETE (it also unclaims a customer-owned device).
	const response = await request<IDataObject>(this, {
		method: 'DELETE',
		path: devicePath(scope, device),
		...(deny ? { body: { deny: true } } : {}),
		itemIndex,
		gate,
	});
	return { id: device, ...response, removed: true };
}
