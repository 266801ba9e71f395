import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as send from './send.operation';

export const customApiCallOperations: ParticleOperations['customApiCall'] = { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApiCall'] } },
		default: 'send',
		options: [
			{
				name: 'Send',
				value: 'send',
				description:
					'Send any Particle API request with this credential, for what the node does not model yet. A POST, PUT or DELETE may change devices.',
				action: 'Send a custom API call',
			},
		],
	},
	...send.description,
];
