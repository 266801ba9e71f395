import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { v1Path } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { deviceIdField, readDeviceId } from './deviceIds';

const show = { resource: ['device'], operation: ['claim'] };

export const description: INodeProperties[] = [
	deviceIdField(
		'claim',
		'The 24-character ID of the device to claim. The account of the token becomes its owner. Particle claims through /v1/devices only, so there is no product choice.',
	),
	{
		displayName: 'Request Transfer',
		name: 'requestTransfer',
		type: 'boolean',
		default: false,
		description:
			'Whether to ask Particle to transfer the device when another account owns it (the current owner is asked; nothing changes until then)',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const id = readDeviceId.call(this, itemIndex);
	const requestTransfer = this.getNodeParameter('requestTransfer', itemIndex, false) as boolean;
	const response = await request<IDataObject>(this, {
		method: 'POST',
		path: v1Path('devices'),
		body: { id, ...(requestTransfer ? { request_transfer: true } : {}) },
		itemIndex,
		gate,
	});
	return { id, ...response };
}
