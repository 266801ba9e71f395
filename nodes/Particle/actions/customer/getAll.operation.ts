import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { requestAllPages } from '../../../shared/transport';
import { readLimit, returnAllOrLimit } from '../common';
import type { OperationContext, OperationResult } from '../types';
import { customerTargetFields, readProduct } from './fields';

const show = { resource: ['customer'], operation: ['getAll'] };

export const description: INodeProperties[] = [...customerTargetFields('getAll', false), ...returnAllOrLimit(show)];

/**
 * Particle documents no query parameter for this list, yet its example has `meta.total_pages`: pages are asked for
 * as for the other product lists, and a customer seen on an earlier page is not output again (a cloud that ignores
 * `page` answers the same customers on every page).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const product = readProduct.call(this, itemIndex);
	const limit = readLimit.call(this, itemIndex);
	const listed = await requestAllPages<IDataObject>(
		this,
		{ method: 'GET', path: productPath(product, 'customers'), itemIndex, gate },
		{ itemsKey: 'customers', limit },
	);
	const seen = new Set<string>();
	const customers = listed.filter((customer) => {
		const key = typeof customer.id === 'string' ? customer.id : JSON.stringify(customer);
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
	return limit === undefined ? customers : customers.slice(0, limit);
}
