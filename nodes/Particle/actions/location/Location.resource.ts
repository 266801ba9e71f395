import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as getFleet from './getFleet.operation';
import * as getHistory from './getHistory.operation';
import * as getLast from './getLast.operation';

export const locationOperations: ParticleOperations['location'] = { getFleet, getHistory, getLast };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['location'] } },
		default: 'getLast',
		options: [
			{
				name: 'Get Fleet Locations',
				value: 'getFleet',
				description: 'Get the last location of every Tracker of a product, one item per device',
				action: 'Get fleet locations',
			},
			{
				name: 'Get Location History',
				value: 'getHistory',
				description: 'Get the points a Tracker reported over a time range',
				action: 'Get the location history of a device',
			},
			{
				name: 'Get Last Location',
				value: 'getLast',
				description: 'Get the last known location of a Tracker',
				action: 'Get the last location of a device',
			},
		],
	},
	...getFleet.description,
	...getHistory.description,
	...getLast.description,
];
