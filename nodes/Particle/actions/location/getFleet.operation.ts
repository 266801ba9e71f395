import type { IDataObject } from 'n8n-workflow';

import { textListOf } from '../../../shared/limits';
import { productPath } from '../../../shared/paths';
import { productField, readProductScope, throwIfInvalid } from '../common';
import { listOperation } from '../kit';

/** "Query fleet-wide locations for devices within a product": the last location of each device, one item each. */
export const { description, execute } = listOperation({
	resource: 'location',
	operation: 'getFleet',
	fields: [productField()],
	fieldsAfter: [
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			description: 'Filters Particle applies',
			options: [
				{ displayName: 'Device ID Starts With', name: 'device_id', type: 'string', default: '' },
				{ displayName: 'Device Name Starts With', name: 'device_name', type: 'string', default: '' },
				{
					displayName: 'Groups',
					name: 'groups',
					type: 'string',
					default: '',
					placeholder: 'e.g. trucks, us-east',
					description: 'Only devices in one of these groups (comma-separated group names)',
				},
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
			const groups = textListOf(filters.groups);
			if (groups === undefined) throwIfInvalid(this, { field: 'Groups', message: 'Groups must be group names separated by commas' }, itemIndex);
			// The reference's String[]: n8n sends it as `groups[0]=a&groups[1]=b`, as particle-api-js's qs does.
			if (groups && groups.length > 0) query.groups = groups;
		}
		return { path: productPath(product, 'fleet_locations'), query, itemsKey: 'locations' };
	},
});
