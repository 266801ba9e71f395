import { productPath } from '../../../shared/paths';
import { productField, readProductScope } from '../common';
import { getOperation } from '../kit';

export const { description, execute } = getOperation({
	resource: 'product',
	operation: 'get',
	fields: [productField()],
	path(itemIndex) {
		return productPath(readProductScope.call(this, itemIndex).product);
	},
	unwrap: 'product',
});
