import { getOperation } from '../kit';
import { simPath, simTargetFields } from './fields';

export const { description, execute } = getOperation({
	resource: 'sim',
	operation: 'get',
	fields: simTargetFields(),
	path(itemIndex) {
		return simPath.call(this, itemIndex, true);
	},
});
