/** Fields shared by the customer operations: the product and the customer's identifier. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath, segment } from '../../../shared/paths';
import { productField, readProduct, throwIfInvalid } from '../common';

export function customerTargetFields(withCustomer = true): INodeProperties[] {
	return [productField(), ...(withCustomer ? [customerField()] : [])];
}

export function customerField(description = 'The customer\'s email, or whatever unique identifier it was created with'): INodeProperties {
	return {
		displayName: 'Customer',
		name: 'customer',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. jane@example.com',
		description,
	};
}

/** A customer's password: sent, never output. */
export function passwordField(displayName: string, more: Pick<INodeProperties, 'description' | 'required'>): INodeProperties {
	return { displayName, name: 'password', type: 'string', typeOptions: { password: true }, default: '', ...more };
}

export function readCustomer(this: IExecuteFunctions, itemIndex: number): string {
	const customer = String(this.getNodeParameter('customer', itemIndex, '', { ensureType: 'string' })).trim();
	if (customer === '' || customer.length > 254 || Array.from(customer).some((char) => char.charCodeAt(0) < 0x20)) {
		throwIfInvalid(this, { field: 'Customer', message: 'Customer must be an email or identifier of 1 to 254 printable characters' }, itemIndex);
	}
	return customer;
}

/** The product and the customer of an item, and the customer's path (`/v1/products/:p/customers/:customer`). */
export function readCustomerTarget(this: IExecuteFunctions, itemIndex: number): { product: string; customer: string; path: string } {
	const product = readProduct.call(this, itemIndex);
	const customer = readCustomer.call(this, itemIndex);
	return { product, customer, path: productPath(product, 'customers', segment(customer, 'Customer')) };
}
