import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const deviceOperations: ParticleOperations['device'] = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['device'] } },
		default: 'getAll',
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a device: online state, last heard, platform, firmware',
				action: 'Get a device',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the devices of the sandbox or of a product',
				action: 'Get many devices',
			},
		],
	},
	...get.description,
	...getAll.description,
];
