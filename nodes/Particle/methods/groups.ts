/** The group picker: the chosen product's device groups, searchable by name (Particle filters by partial match). */
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { particleClient } from '../../shared/client';
import { productPath } from '../../shared/paths';
import { expectListIn } from '../../shared/shapes';
import { chosenProduct } from './listSearch';

/** The stored value and name are the group's name; what changes (the released version) goes in the description. */
function groupItem(group: { name?: unknown; description?: unknown; fw_version?: unknown }): INodeListSearchItems {
	const name = String(group.name ?? '');
	const details = [
		typeof group.description === 'string' && group.description.trim() !== '' ? group.description.trim() : undefined,
		typeof group.fw_version === 'number' ? `firmware ${group.fw_version} released` : undefined,
	].filter((part): part is string => part !== undefined);
	return { name, value: name, ...(details.length > 0 ? { description: details.join(', ') } : {}) };
}

export async function searchGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const product = chosenProduct(this, 'group list');
	if (product === undefined) return { results: [] };
	const name = filter?.trim() ?? '';
	const response = await particleClient(this).get<unknown>(productPath(product, 'groups'), { query: name === '' ? {} : { name } });
	const results = expectListIn(this, response, 'groups', 'group list')
		.map(groupItem)
		.filter((item) => item.name !== '')
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}
