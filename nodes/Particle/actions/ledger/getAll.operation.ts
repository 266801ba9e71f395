import { FILTERS_COLLECTION, listOperation } from '../kit';
import { ledgerOwnerFields, ledgersPath } from './fields';

interface LedgerFilters {
	archived?: string;
	scope?: string;
}

/**
 * "List ledger definitions": paged (`page`, `perPage`), `archived` as the only documented filter. A scope filter is
 * the node's own, so with it every page is read and Limit counts only the ledgers kept.
 */
export const { description, execute } = listOperation({
	resource: 'ledger',
	operation: 'getAll',
	fields: ledgerOwnerFields,
	fieldsAfter: [
		{
			...FILTERS_COLLECTION,
			options: [
				{
					displayName: 'Archived',
					name: 'archived',
					type: 'options',
					default: 'false',
					description: 'Particle’s own filter: archived ledgers only, or only the ones in use',
					options: [
						{ name: 'Archived Only', value: 'true' },
						{ name: 'Not Archived', value: 'false' },
					],
				},
				{
					displayName: 'Scope',
					name: 'scope',
					type: 'options',
					default: 'Device',
					description: 'Only ledgers of this scope (filtered by the node: the reference documents no such query)',
					options: [
						{ name: 'Device', value: 'Device' },
						{ name: 'Owner', value: 'Owner' },
						{ name: 'Product', value: 'Product' },
					],
				},
			],
		},
	],
	what: 'ledger list',
	source(itemIndex) {
		const { archived } = this.getNodeParameter('filters', itemIndex, {}) as LedgerFilters;
		return {
			path: ledgersPath.call(this, itemIndex),
			query: archived === undefined ? {} : { archived: archived === 'true' },
			itemsKey: 'ledgers',
			paged: { pageSizeParameter: 'perPage' },
		};
	},
	keep(itemIndex) {
		const { scope } = this.getNodeParameter('filters', itemIndex, {}) as LedgerFilters;
		return scope ? (ledger) => ledger.scope === scope : undefined;
	},
});
