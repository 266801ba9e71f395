import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { OAUTH_TOKEN_PATH } from '../../../shared/paths';
import { productClientFields, request, type RateLimitGate } from '../../../shared/transport';
import { readNumber } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readCustomer, readProduct } from './fields';

const show = { resource: ['customer'], operation: ['createToken'] };
/** The field's minimum, for expressions too: Particle reads expires_in 0 as "never expires", never wanted by accident. */
const MIN_LIFETIME_SECONDS = 60;

export const description: INodeProperties[] = [
	...customerTargetFields('createToken'),
	{
		displayName: 'Lifetime (Seconds)',
		name: 'expiresIn',
		type: 'number',
		typeOptions: { minValue: MIN_LIFETIME_SECONDS, numberPrecision: 0 },
		default: 3600,
		description: `How long the customer token stays valid, in whole seconds (at least ${MIN_LIFETIME_SECONDS}). Tokens that never expire are not offered.`,
		displayOptions: { show },
	},
];

export interface CustomerToken extends IDataObject {
	access_token: string;
}

/** A token limited to one customer's devices, minted with the product's OAuth client. */
export async function mintCustomerToken(
	this: IExecuteFunctions,
	itemIndex: number,
	customer: string,
	expiresIn: number,
	gate: RateLimitGate,
): Promise<CustomerToken> {
	const client = await productClientFields(this, itemIndex);
	return await request<CustomerToken>(this, {
		method: 'POST',
		path: OAUTH_TOKEN_PATH,
		form: { grant_type: 'client_credentials', ...client, scope: `customer=${customer}`, expires_in: String(expiresIn) },
		itemIndex,
		gate,
	});
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	readProduct.call(this, itemIndex);
	const customer = readCustomer.call(this, itemIndex);
	const expiresIn = readNumber.call(this, 'expiresIn', itemIndex, 3600, 'Lifetime (Seconds)', {
		whole: true,
		min: MIN_LIFETIME_SECONDS,
	});
	const token = await mintCustomerToken.call(this, itemIndex, customer, expiresIn, gate);
	return { customer, ...token };
}
