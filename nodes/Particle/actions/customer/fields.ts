/** Fields shared by the customer operations: the product and the customer's identifier. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkProductIdOrSlug } from '../../../shared/limits';
import { productField, throwIfInvalid } from '../common';

export function customerTargetFields(operation: string, withCustomer = true): INodeProperties[] {
	const show = { resource: ['customer'], operation: [operation] };
	return [productField(show), ...(withCustomer ? [customerField(operation)] : [])];
}

export function customerField(operation: string, description = 'The customer\'s email, or whatever unique identifier it was created with'): INodeProperties {
	return {
		displayName: 'Customer',
		name: 'customer',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jane@example.com',
		description,
		displayOptions: { show: { resource: ['customer'], operation: [operation] } },
	};
}

export function readProduct(this: IExecuteFunctions, itemIndex: number): string {
	const product = String(this.getNodeParameter('product', itemIndex, '', { extractValue: true, ensureType: 'string' })).trim();
	throwIfInvalid(this, checkProductIdOrSlug(product), itemIndex);
	return product;
}

export function readCustomer(this: IExecuteFunctions, itemIndex: number): string {
	const customer = String(this.getNodeParameter('customer', itemIndex, '', { ensureType: 'string' })).trim();
	if (customer === '' || customer.length > 254 || Array.from(customer).some((char) => char.charCodeAt(0) < 0x20)) {
		throwIfInvalid(this, { field: 'Customer', message: 'Customer must be an email or identifier of 1 to 254 printable characters' }, itemIndex);
	}
	return customer;
}
