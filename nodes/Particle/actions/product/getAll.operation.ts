import { v1Path } from '../../../shared/paths';
import { listOperation } from '../kit';

// "List products" documents no paging: one answer.
export const { description, execute } = listOperation({
	resource: 'product',
	operation: 'getAll',
	what: 'product list',
	source: () => ({ path: v1Path('products'), itemsKey: 'products' }),
});
