import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { request, type RateLimitGate } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer, readProduct } from './fields';
import { runCustomerToken } from './productClient';

export const description: INodeProperties[] = [...customerTargetFields('createClaimCode')];

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
	const response = await createCustomerClaimCode(this, itemIndex, product, customer, {}, gate);
	return { customer, ...response };
}
