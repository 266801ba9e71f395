import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkDeviceId } from '../../../shared/limits';
import { v1Path } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { throwIfInvalid } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { deviceIdField } from './update';

const show = { resource: ['device'], operation: ['claim'] };

export const description: INodeProperties[] = [
	deviceIdField('claim', 'The device to claim to the account of the token'),
	{
		displayName: 'Request Transfer',
		name: 'requestTransfer',
		type: 'boolean',
		default: false,
		description: 'Whether to ask Particle to transfer the device when another account owns it',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const id = String(this.getNodeParameter('deviceId', itemIndex)).trim().toLowerCase();
	throwIfInvalid(this, checkDeviceId(id), itemIndex);
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
