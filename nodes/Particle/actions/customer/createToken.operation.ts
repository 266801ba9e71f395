import type { IExecuteFunctions } from 'n8n-workflow';

import { readNumber } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { customerField, readCustomer } from './fields';
import { mintCustomerToken } from './productClient';

/** The field's minimum, for expressions too: Particle reads expires_in 0 as "never expires", never wanted by accident. */
const MIN_LIFETIME_SECONDS = 60;

/**
 * No Product field: Particle mints the token for the product the credential's OAuth client belongs to, and the token
 * request names no product. Saved workflows that still hold a product load as before; n8n drops the unused value.
 */
export const description = fieldsFor('customer', 'createToken', [
	customerField(
		'The customer\'s email, or whatever unique identifier it was created with. The customer belongs to the product of the OAuth client in the credential.',
	),
	{
		displayName: 'Lifetime (Seconds)',
		name: 'expiresIn',
		type: 'number',
		typeOptions: { minValue: MIN_LIFETIME_SECONDS, numberPrecision: 0 },
		default: 3600,
		description: `How long the customer token stays valid, in whole seconds (at least ${MIN_LIFETIME_SECONDS}). Tokens that never expire are not offered.`,
	},
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const customer = readCustomer.call(this, itemIndex);
	const expiresIn = readNumber.call(this, 'expiresIn', itemIndex, 3600, 'Lifetime (Seconds)', {
		whole: true,
		min: MIN_LIFETIME_SECONDS,
	});
	// A new token each item: the user asked for one, with this lifetime (the run's own tokens are never output).
	const token = await mintCustomerToken(this, client, customer, expiresIn);
	return { customer, ...token };
}
