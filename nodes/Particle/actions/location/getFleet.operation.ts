import type { IDataObject } from 'n8n-workflow';

import { productPath } from '../../../shared/paths';
import { groupsFilterField, readGroupsFilter } from '../../methods/groups';
import { productField, readProductScope, throwIfInvalid } from '../common';
import { FILTERS_COLLECTION, listOperation } from '../kit';

/** "Query fleet-wide locations for devices within a product": the last location of each device, one item each. */
export const { description, execute } = listOperation({
	resource: 'location',
	operation: 'getFleet',
	fields: [productField()],
	fieldsAfter: [
		{
			...FILTERS_COLLECTION,
			description: 'Filters Particle applies',
			options: [
				{ displayName: 'Device ID Starts With', name: 'device_id', type: 'string', default: '' },
				{ displayName: 'Device Name Starts With', name: 'device_name', type: 'string', default: '' },
				groupsFilterField('Only devices in one of these groups'),
			],
		},
	],
	what: 'location list',
	source(itemIndex) {
		const { product } = readProductScope.call(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const query: IDataObject = {};
		for (const key of ['device_id', 'device_name']) {
			const value = filters[key];
			if (typeof value === 'string' && value.trim() !== '') query[key] = value.trim();
		}
		if (filters.groups !== undefined) {
			const groups = readGroupsFilter(filters.groups);
			throwIfInvalid(this, groups.violation, itemIndex);
			// The reference's String[]: n8n sends it as `groups[0]=a&groups[1]=b`, as particle-api-js's qs does.
			if (groups.names.length > 0) query.groups = groups.names;
		}
		return { path: productPath(product, 'fleet_locations'), query, itemsKey: 'locations' };
	},
});
