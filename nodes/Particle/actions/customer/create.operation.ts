import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { readProduct } from '../common';
import { customerTargetFields, passwordField, readCustomer } from './fields';
import { sendWithProductClient } from './productClient';

export const description = fieldsFor('customer', 'create', [
	...customerTargetFields(),
	passwordField('Password', { description: 'Leave empty to create a shadow customer (no password), the usual choice when your own app manages users' }),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const email = readCustomer.call(this, itemIndex);
	const password = String(this.getNodeParameter('password', itemIndex, '', { ensureType: 'string' }));
	// Particle creates customers with the product client's ID and secret (HTTP Basic), form encoded, and no token.
	const form = { email, ...(password === '' ? { no_password: 'true' } : { password }) };
	const response = await sendWithProductClient<IDataObject>(this, client, 'POST', productPath(product, 'customers'), { form });
	return { customer: email, ...response };
}
