import { productPath } from '../../../shared/paths';
import { listOperation } from '../kit';
import { readProduct } from '../common';
import { customerTargetFields } from './fields';

/**
 * Particle documents no query parameter for this list, yet its example has `meta.total_pages`: pages are asked for
 * as for the other product lists, and a customer seen on an earlier page is not output again (a cloud that ignores
 * `page` answers the same customers on every page; the paged reader keeps each entry once and stops there).
 */
export const { description, execute } = listOperation({
	resource: 'customer',
	operation: 'getAll',
	fields: customerTargetFields(false),
	what: 'customer list',
	source(itemIndex) {
		return { path: productPath(readProduct.call(this, itemIndex), 'customers'), itemsKey: 'customers', paged: {} };
	},
});
