import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const deviceOsOperations: ParticleOperations['deviceOs'] = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['deviceOs'] } },
		default: 'getAll',
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one Device OS version: its platforms, and its modules for a platform',
				action: 'Get a device OS version',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the Device OS versions, newest first, optionally for one platform',
				action: 'Get many device OS versions',
			},
		],
	},
	...get.description,
	...getAll.description,
];
