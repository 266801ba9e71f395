/**
 * The chosen product's device groups, for the group locator (searchGroups, searchable by name: Particle filters by
 * partial match) and for the Groups filters (getGroups, a multi-select), with the filters' field and reader.
 */
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { particleClient } from '../../shared/client';
import { checkTextList, textListOf, type LimitViolation } from '../../shared/limits';
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

/** The product's groups by name (those matching `filter`), or none while no product is chosen yet. */
async function productGroups(context: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchItems[]> {
	const product = chosenProduct(context, 'group list');
	if (product === undefined) return [];
	const name = filter?.trim() ?? '';
	const response = await particleClient(context).get<unknown>(productPath(product, 'groups'), { query: name === '' ? {} : { name } });
	return expectListIn(context, response, 'groups', 'group list')
		.map(groupItem)
		.filter((item) => item.name !== '')
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function searchGroups(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return { results: await productGroups(this, filter) };
}

export async function getGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// Sandbox devices have no groups (the trigger's Filters show in either scope).
	const scope = this.getCurrentNodeParameter('deviceScope');
	if (scope !== undefined && scope !== 'product') return [];
	return await productGroups(this);
}

/**
 * A Groups filter: picked from the product's groups. Workflows saved when it was a text field hold one
 * comma-separated text, which still reads (`readGroupsFilter`), as does an expression's text or list.
 */
export function groupsFilterField(what: string): INodeProperties {
	return {
		// n8n's words for a multi-select filled from the cloud (its lint asks for them); a group's ID is its name.
		displayName: 'Group Names or IDs',
		name: 'groups',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getGroups', loadOptionsDependsOn: ['product.value'] },
		default: [],
		description: `${what}. An expression may give a list of group names or one comma-separated text. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

/** The Groups filter's names, trimmed, empty ones left out: from a list, or from one comma-separated text. */
export function readGroupsFilter(value: unknown): { names: string[]; violation: LimitViolation | null } {
	return { names: textListOf(value) ?? [], violation: checkTextList(value, 'Groups', 'text or a list of group names') };
}
