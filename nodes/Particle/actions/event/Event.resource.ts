import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as publish from './publish.operation';

export const eventOperations: ParticleOperations['event'] = { publish };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['event'] } },
		default: 'publish',
		options: [
			{
				name: 'Publish',
				value: 'publish',
				description:
					'Publish an event to your devices or a product fleet. Devices subscribed to it act on it; a publish that fails is never sent again automatically.',
				action: 'Publish an event',
			},
		],
	},
	...publish.description,
];
