import type { IExecuteFunctions } from 'n8n-workflow';

import { devicePath } from '../../../shared/paths';
import { readDeviceTarget } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { productDeviceFields } from './productDevice';

export const description = fieldsFor('device', 'removeFromProduct', [
	...productDeviceFields('The product to remove the device from (this operation exists only for products)'),
	{
		displayName: 'Deny',
		name: 'deny',
		type: 'boolean',
		default: false,
		description: 'Whether to deny a device waiting in quarantine, instead of removing an approved device',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { scope, device } = await readDeviceTarget.call(this, itemIndex, client, true);
	const deny = this.getNodeParameter('deny', itemIndex, false) as boolean;
	// `deny` goes in the body of the DELETE, as particle-api-js's removeDevice sends it (the API doc gives no place).
	const response = await client.send('DELETE', devicePath(scope, device), deny ? { body: { deny: true } } : {});
	// Particle answers 204 with nothing to echo, so the item says what happened.
	return { id: device, ...response, removed: true };
}
