import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as assignDevices from './assignDevices.operation';
import * as create from './create.operation';
import * as deleteGroup from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getReleaseImpact from './getReleaseImpact.operation';
import * as removeDevices from './removeDevices.operation';
import * as update from './update.operation';

export const deviceGroupOperations: ParticleOperations['deviceGroup'] = {
	assignDevices,
	create,
	delete: deleteGroup,
	get,
	getAll,
	getReleaseImpact,
	removeDevices,
	update,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deviceGroup'] } },
		default: 'getAll',
		options: [
			{
				name: 'Assign Devices',
				value: 'assignDevices',
				description: 'Put product devices into a group; firmware released to the group then reaches them (changes the fleet)',
				action: 'Assign devices to a group',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a device group in a product',
				action: 'Create a device group',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a device group; its devices leave it',
				action: 'Delete a device group',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a device group: description, color, released firmware version, number of devices',
				action: 'Get a device group',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the device groups of a product',
				action: 'Get many device groups',
			},
			{
				name: 'Get Release Impact',
				value: 'getReleaseImpact',
				description: 'How many devices a planned release to groups would update, before releasing',
				action: 'Get the impact of a release',
			},
			{
				name: 'Remove Devices',
				value: 'removeDevices',
				description: 'Take product devices out of a group (changes the fleet)',
				action: 'Remove devices from a group',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a device group or change its description or color',
				action: 'Update a device group',
			},
		],
	},
	...getAll.description,
	...get.description,
	...create.description,
	...update.description,
	...deleteGroup.description,
	...assignDevices.description,
	...removeDevices.description,
	...getReleaseImpact.description,
];
