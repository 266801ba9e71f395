import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { devicesPath } from '../../../shared/paths';
import { productField, readProductScope, throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { deviceIdField, readDeviceId } from './deviceIds';

/** Loose on purpose: Particle decides what a valid account email is; this only stops obvious slips. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;
const EMAIL_MAX_LENGTH = 254;

export const description = fieldsFor('device', 'addToProduct', [
	productField(),
	deviceIdField('The 24-character ID of the device to import into the product; a device waiting in quarantine is approved'),
	{
		displayName: 'Claim to User',
		name: 'claimUser',
		type: 'string',
		default: '',
		placeholder: 'e.g. name@email.com',
		description: 'Email of a team member to make the owner of the device; leave empty to import it unclaimed',
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const scope = readProductScope.call(this, itemIndex);
	const id = readDeviceId.call(this, itemIndex);
	const claimUser = String(this.getNodeParameter('claimUser', itemIndex, '', { ensureType: 'string' })).trim();
	if (claimUser !== '' && (claimUser.length > EMAIL_MAX_LENGTH || !EMAIL_PATTERN.test(claimUser))) {
		throwIfInvalid(this, { field: 'Claim to User', message: 'Claim to User must be an email address' }, itemIndex);
	}
	const body = { id, ...(claimUser !== '' ? { claim_user: claimUser } : {}) };
	return await client.send<IDataObject>('POST', devicesPath(scope), { body });
}
