import { listOperation } from '../kit';
import { ownerPath } from '../organization/fields';
import { teamFields } from './fields';

// The team list ("List team members", one answer, no paging) holds people too; API users are the programmatic members.
export const { description, execute } = listOperation({
	resource: 'apiUser',
	operation: 'getAll',
	fields: teamFields(),
	what: 'team list',
	source(itemIndex) {
		return { path: ownerPath.call(this, itemIndex, 'team'), itemsKey: 'team' };
	},
	keep: () => (member) => member.is_programmatic === true,
});
