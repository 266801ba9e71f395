import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getDataUsage from './getDataUsage.operation';

export const simOperations: ParticleOperations['sim'] = { get, getAll, getDataUsage };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sim'] } },
		default: 'getAll',
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a SIM card by ICCID: status, carrier, last device',
				action: 'Get a SIM',
			},
			{
				name: 'Get Data Usage',
				value: 'getDataUsage',
				description: 'Get the megabytes a SIM card used, day by day (Particle updates it up to an hour late)',
				action: 'Get SIM data usage',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the SIM cards of the sandbox or of a product, one item per SIM',
				action: 'Get many SIM cards',
			},
		],
	},
	...get.description,
	...getAll.description,
	...getDataUsage.description,
];
