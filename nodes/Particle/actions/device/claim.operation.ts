import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { v1Path } from '../../../shared/paths';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { deviceIdField, readDeviceId } from './deviceIds';

export const description = fieldsFor('device', 'claim', [
	deviceIdField(
		'The 24-character ID of the device to claim. The account of the token becomes its owner. Particle claims through /v1/devices only, so there is no product choice.',
	),
	{
		displayName: 'Request Transfer',
		name: 'requestTransfer',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask Particle to transfer the device when another account owns it (the current owner is asked; nothing changes until then)',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const id = readDeviceId.call(this, itemIndex);
	const requestTransfer = this.getNodeParameter('requestTransfer', itemIndex, false) as boolean;
	const body = { id, ...(requestTransfer ? { request_transfer: true } : {}) };
	return { id, ...(await client.send<IDataObject>('POST', v1Path('devices'), { body })) };
}
