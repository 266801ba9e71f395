import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceField, productField, readDevice, readProductScope } from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['device'], operation: ['removeFromProduct'] };

export const description: INodeProperties[] = [
	{ ...productField(show), description: 'The product to remove the device from (this operation exists only for products)' },
	deviceField(show),
	{
		displayName: 'Deny',
		name: 'deny',
		type: 'boolean',
		default: false,
		description: 'Whether to deny a device waiting in quarantine, instead of removing an approved device',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const scope = readProductScope.call(this, itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);
	const deny = this.getNodeParameter('deny', itemIndex, false) as boolean;
	// `deny` goes in the body of the DELETE, as particle-api-js's removeDevice sends it (the API doc gives no place).
	const response = await request<IDataObject>(this, {
		method: 'DELETE',
		path: devicePath(scope, device),
		...(deny ? { body: { deny: true } } : {}),
		itemIndex,
		gate,
	});
	// Particle answers 204 with nothing to echo, so the item says what happened.
	return { id: device, ...response, removed: true };
}
