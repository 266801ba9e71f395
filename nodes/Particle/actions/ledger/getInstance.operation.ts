import { getOperation } from '../kit';
import { instanceFields, instancePath, ledgerNameField, ledgerOwnerFields } from './fields';

/** "Get ledger instance": `{ instance }`, output as the item. */
export const { description, execute } = getOperation({
	resource: 'ledger',
	operation: 'getInstance',
	fields: [...ledgerOwnerFields, ledgerNameField, ...instanceFields],
	path(itemIndex, client) {
		return instancePath.call(this, itemIndex, client);
	},
	unwrap: 'instance',
});
