import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { expectList } from '../../../shared/shapes';
import { readLimit, returnAllOrLimit } from '../common';
import { fieldsFor, FILTERS_COLLECTION } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { ledgerOwnerFields, ledgersPath } from './fields';

export const description = fieldsFor('ledger', 'getAll', [
	...ledgerOwnerFields,
	...returnAllOrLimit({}),
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
]);

/** "List ledger definitions": paged (`page`, `perPage`), `archived` as the only documented filter. */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const path = ledgersPath.call(this, itemIndex);
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as { archived?: string; scope?: string };
	const query: IDataObject = filters.archived === undefined ? {} : { archived: filters.archived === 'true' };
	// A scope filter is the node's own: all pages are read, then cut, so Limit counts only the ledgers kept.
	const wanted = filters.scope;
	const listed = await client.listAll<unknown>(path, { itemsKey: 'ledgers', limit: wanted ? undefined : limit, query, pageSizeParameter: 'perPage' });
	const ledgers = expectList(this, listed, 'ledger list', itemIndex);
	const kept = wanted ? ledgers.filter((ledger) => ledger.scope === wanted) : ledgers;
	return limit === undefined ? kept : kept.slice(0, limit);
}
