import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { v1Path } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { createCustomerClaimCode } from '../customer/createClaimCode.operation';
import { readCustomer } from '../customer/fields';
import { deviceScopeField, productField, readDeviceScope } from '../common';
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
	{
		displayName: 'Options',
		name: 'claimOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{ displayName: 'ICCID', name: 'iccid', type: 'string', default: '', description: 'SIM of a cellular device' },
			{ displayName: 'IMEI', name: 'imei', type: 'string', default: '', description: 'Modem of a cellular device' },
		],
	},
];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const options = this.getNodeParameter('claimOptions', itemIndex, {}) as { iccid?: string; imei?: string };
	const body: IDataObject = {};
	if (options.iccid?.trim()) body.iccid = options.iccid.trim();
	if (options.imei?.trim()) body.imei = options.imei.trim();
	if (scope.kind === 'product') {
		// Particle ties a claim code to the account whose token asks for it: for a product, the customer's.
		const customer = readCustomer.call(this, itemIndex);
		return { customer, ...(await createCustomerClaimCode(this, itemIndex, scope.product, customer, body, gate)) };
	}
	// The sandbox form: the credential's own account will own the device.
	return await request<IDataObject>(this, { method: 'POST', path: v1Path('device_claims'), body, itemIndex, gate });
}
