import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkDeviceId } from '../../../shared/limits';
import { devicesPath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { productField, readProductScope, throwIfInvalid } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { deviceIdField } from './update';

const show = { resource: ['device'], operation: ['addToProduct'] };

export const description: INodeProperties[] = [
	productField(show),
	deviceIdField('addToProduct', 'The device to import into the product (also approves a quarantined device)'),
	{
		displayName: 'Claim to User',
		name: 'claimUser',
		type: 'string',
		default: '',
		placeholder: 'e.g. team-member@example.com',
		description: 'Email of a team member to claim the device to, if any',
		displayOptions: { show },
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const scope = readProductScope.call(this, itemIndex);
	const id = String(this.getNodeParameter('deviceId', itemIndex)).trim().toLowerCase();
	throwIfInvalid(this, checkDeviceId(id), itemIndex);
	const claimUser = String(this.getNodeParameter('claimUser', itemIndex, '')).trim();
	return await request<IDataObject>(this, {
		method: 'POST',
		path: devicesPath(scope),
		body: { id, ...(claimUser !== '' ? { claim_user: claimUser } : {}) },
		itemIndex,
		gate,
	});
}
