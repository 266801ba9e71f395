import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as call from './call.operation';

export const functionOperations: ParticleOperations['function'] = { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['function'] } },
		default: 'call',
		options: [
			{
				name: 'Call',
				value: 'call',
				description:
					'Run a cloud function on an online device. The device acts on it (for example switches a relay) and returns an integer; a call that fails or times out is never sent again automatically.',
				action: 'Call a function on a device',
			},
		],
	},
	...call.description,
];
