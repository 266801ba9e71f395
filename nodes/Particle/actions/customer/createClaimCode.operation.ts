import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { request, type RateLimitGate } from '../../../shared/transport';
import { optionsCollection } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer, readProduct } from './fields';
import { runCustomerToken } from './productClient';

/** What Particle takes with a claim code request (both forms): the cellular device's SIM and modem. */
export const claimCodeOptions: INodeProperties[] = [
	{ displayName: 'ICCID', name: 'iccid', type: 'string', default: '', description: 'SIM of a cellular device' },
	{ displayName: 'IMEI', name: 'imei', type: 'string', default: '', description: 'Modem of a cellular device' },
];

/** The request body from the claim code Options: only what the user set, trimmed. */
export function readClaimCodeBody(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = this.getNodeParameter('claimOptions', itemIndex, {}) as { iccid?: unknown; imei?: unknown };
	const body: IDataObject = {};
	for (const key of ['iccid', 'imei'] as const) {
		const value = typeof options[key] === 'string' || typeof options[key] === 'number' ? String(options[key]).trim() : '';
		if (value !== '') body[key] = value;
	}
	return body;
}

export const description: INodeProperties[] = [
	...customerTargetFields('createClaimCode'),
	optionsCollection({ resource: ['customer'], operation: ['createClaimCode'] }, claimCodeOptions),
];

/**
 * A product claim code, asked for with the token of the customer who will own the device: Particle ties the code to
 * the account whose token asks for it. The token is the run's own (minted once per customer), never output.
 */
export async function createCustomerClaimCode(
	context: IExecuteFunctions,
	itemIndex: number,
	product: string,
	customer: string,
	body: IDataObject,
	gate: RateLimitGate,
): Promise<IDataObject> {
	const token = await runCustomerToken(context, itemIndex, product, customer, gate);
	return await request<IDataObject>(context, {
		method: 'POST',
		path: productPath(product, 'device_claims'),
		body,
		asToken: token,
		itemIndex,
		gate,
	});
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const customer = readCustomer.call(this, itemIndex);
	const response = await createCustomerClaimCode(this, itemIndex, product, customer, readClaimCodeBody.call(this, itemIndex), gate);
	return { customer, ...response };
}
