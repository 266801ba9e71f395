import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { ParticleItemClient } from '../../../shared/client';
import { productPath } from '../../../shared/paths';
import { optionsCollection, readProduct } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer } from './fields';
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

export const description = fieldsFor('customer', 'createClaimCode', [
	...customerTargetFields(),
	optionsCollection('customer', 'createClaimCode', claimCodeOptions),
]);

/**
 * A product claim code, asked for with the token of the customer who will own the device: Particle ties the code to
 * the account whose token asks for it. The token is the run's own (minted once per customer), never output.
 */
export async function createCustomerClaimCode(
	context: IExecuteFunctions,
	client: ParticleItemClient,
	product: string,
	customer: string,
	body: IDataObject,
): Promise<IDataObject> {
	const asToken = await runCustomerToken(context, client, product, customer);
	return await client.send<IDataObject>('POST', productPath(product, 'device_claims'), { body, asToken });
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const customer = readCustomer.call(this, itemIndex);
	return { customer, ...(await createCustomerClaimCode(this, client, product, customer, readClaimCodeBody.call(this, itemIndex))) };
}
