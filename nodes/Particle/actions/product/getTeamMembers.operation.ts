import { productPath } from '../../../shared/paths';
import { productField, readProductScope } from '../common';
import { listOperation } from '../kit';

// "List team members" documents no paging. People have a role; API users are marked is_programmatic.
export const { description, execute } = listOperation({
	resource: 'product',
	operation: 'getTeamMembers',
	fields: [productField()],
	what: 'team list',
	source(itemIndex) {
		return { path: productPath(readProductScope.call(this, itemIndex).product, 'team'), itemsKey: 'team' };
	},
});
