import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as create from './create.operation';
import * as deleteIntegration from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as test from './test.operation';

export const integrationOperations: ParticleOperations['integration'] = { create, delete: deleteIntegration, get, getAll, test };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['integration'] } },
		default: 'getAll',
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a webhook that Particle calls for every matching event of the sandbox or a product',
				action: 'Create a webhook integration',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an integration: Particle stops calling it at once',
				action: 'Delete an integration',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get an integration with the last requests it sent',
				action: 'Get an integration',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the integrations of the sandbox or of a product, one item per integration',
				action: 'Get many integrations',
			},
			{
				name: 'Test',
				value: 'test',
				description: 'Send a test event to an integration and report whether its target answered with success',
				action: 'Test an integration',
			},
		],
	},
	...create.description,
	...deleteIntegration.description,
	...get.description,
	...getAll.description,
	...test.description,
];
