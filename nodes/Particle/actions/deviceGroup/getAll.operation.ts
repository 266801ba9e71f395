import type { IDataObject } from 'n8n-workflow';

import { FILTERS_COLLECTION, listOperation } from '../kit';
import { readProduct } from '../common';
import { firmwareProductField } from '../productFirmware/fields';
import { groupsPath } from './fields';

/** "List device groups": one answer, `groups`; `name` filters by partial match on Particle's side. */
export const { description, execute } = listOperation({
	resource: 'deviceGroup',
	operation: 'getAll',
	fields: [{ ...firmwareProductField, description: 'The product whose groups to list, by ID or slug' }],
	fieldsAfter: [
		{
			...FILTERS_COLLECTION,
			description: 'Filters the groups on the Particle side',
			options: [{ displayName: 'Name Contains', name: 'name', type: 'string', default: '', description: 'Only groups whose name contains this text' }],
		},
	],
	what: 'group list',
	source(itemIndex) {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const name = typeof filters.name === 'string' ? filters.name.trim() : '';
		return { path: groupsPath(readProduct.call(this, itemIndex)), query: name === '' ? {} : { name }, itemsKey: 'groups' };
	},
});
