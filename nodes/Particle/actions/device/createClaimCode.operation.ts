import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { v1Path } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { claimCodeOptions, createCustomerClaimCode, readClaimCodeBody } from '../customer/createClaimCode.operation';
import { readCustomer } from '../customer/fields';
import { deviceScopeField, optionsCollection, productField, readDeviceScope } from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['device'], operation: ['createClaimCode'] };

export const description: INodeProperties[] = [
	deviceScopeField(show),
	productField({ ...show, deviceScope: ['product'] }),
	{
		displayName: 'Customer',
		name: 'customer',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jane@example.com',
		description:
			'The customer who will own the device. Particle creates a product claim code only for the token of that customer: n8n mints a short-lived one with the product OAuth client (never output). Same as Customer > Create Claim Code.',
		displayOptions: { show: { ...show, deviceScope: ['product'] } },
	},
	optionsCollection(show, claimCodeOptions),
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const body = readClaimCodeBody.call(this, itemIndex);
	if (scope.kind === 'product') {
		// Particle ties a claim code to the account whose token asks for it: for a product, the customer's.
		const customer = readCustomer.call(this, itemIndex);
		return { customer, ...(await createCustomerClaimCode(this, itemIndex, scope.product, customer, body, gate)) };
	}
	// The sandbox form: the credential's own account will own the device.
	return await request<IDataObject>(this, { method: 'POST', path: v1Path('device_claims'), body, itemIndex, gate });
}
