import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as getMetrics from './getMetrics.operation';

export const fleetHealthOperations: ParticleOperations['fleetHealth'] = { getMetrics };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['fleetHealth'] } },
		default: 'getMetrics',
		options: [
			{
				name: 'Get Metrics',
				value: 'getMetrics',
				description: 'Get a product’s online devices, events, integrations, function calls or variable reads over a time range, one item per bucket',
				action: 'Get fleet health metrics',
			},
		],
	},
	...getMetrics.description,
];
