import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import type { OperationContext, OperationResult } from '../types';
import { mintCustomerToken } from './createToken.operation';
import { customerTargetFields, readCustomer, readProduct } from './fields';

/** Just long enough for the claim request that follows; the token is never output. */
const CLAIM_TOKEN_LIFETIME_SECONDS = 300;

export const description: INodeProperties[] = [...customerTargetFields('createClaimCode')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const customer = readCustomer.call(this, itemIndex);
	// Particle ties a claim code to the customer whose token asks for it.
	const token = await mintCustomerToken.call(this, itemIndex, customer, CLAIM_TOKEN_LIFETIME_SECONDS, gate);
	const response = await request<IDataObject>(this, {
		method: 'POST',
		path: productPath(product, 'device_claims'),
		body: {},
		asToken: token.access_token,
		itemIndex,
		gate,
	});
	return { customer, ...response };
}
