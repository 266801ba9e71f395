import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as get from './get.operation';

export const variableOperations: ParticleOperations['variable'] = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['variable'] } },
		default: 'get',
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read the current value of a cloud variable from an online device',
				action: 'Get a variable',
			},
		],
	},
	...get.description,
];
