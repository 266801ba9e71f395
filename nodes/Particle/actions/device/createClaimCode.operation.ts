import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { v1Path } from '../../../shared/paths';
import { claimCodeOptions, createCustomerClaimCode, readClaimCodeBody } from '../customer/createClaimCode.operation';
import { customerField, readCustomer } from '../customer/fields';
import { deviceScopeField, optionsCollection, productField, readDeviceScope } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('device', 'createClaimCode', [
	deviceScopeField(),
	productField({ deviceScope: ['product'] }),
	{
		...customerField(
			'The customer who will own the device. Particle creates a product claim code only for the token of that customer: n8n mints a short-lived one with the product OAuth client (never output). Same as Customer > Create Claim Code.',
		),
		displayOptions: { show: { deviceScope: ['product'] } },
	},
	optionsCollection('device', 'createClaimCode', claimCodeOptions),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const body = readClaimCodeBody.call(this, itemIndex);
	if (scope.kind === 'product') {
		// Particle ties a claim code to the account whose token asks for it: for a product, the customer's.
		const customer = readCustomer.call(this, itemIndex);
		return { customer, ...(await createCustomerClaimCode(this, client, scope.product, customer, body)) };
	}
	// The sandbox form: the credential's own account will own the device.
	return await client.send<IDataObject>('POST', v1Path('device_claims'), { body });
}
