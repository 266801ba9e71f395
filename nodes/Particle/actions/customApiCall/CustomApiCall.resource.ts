import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as send from './send.operation';

/** The first releases' own Custom API Call (resource `customApiCall`): kept for the workflows that use it, see httpRequestCall.ts. */
export const customApiCallOperations: ParticleOperations['customApiCall'] = { send };

export const description: INodeProperties[] = [
	{
		displayName:
			'This Custom API Call is kept for the workflows that already use it. For a new one, choose Custom API Call in any Resource or Operation list: it is made with n8n\'s HTTP Request node and the Particle API credential.',
		name: 'oldCustomApiCallNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['customApiCall'] } },
	},
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
