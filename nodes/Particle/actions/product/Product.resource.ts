import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getTeamMembers from './getTeamMembers.operation';

export const productOperations: ParticleOperations['product'] = { get, getAll, getTeamMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		default: 'getAll',
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a product by ID or slug: name, platform, device count, settings',
				action: 'Get a product',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the products the token can see, one item per product',
				action: 'Get many products',
			},
			{
				name: 'Get Team Members',
				value: 'getTeamMembers',
				description: 'List the people and API users of a product, one item per member (reads only)',
				action: 'Get team members of a product',
			},
		],
	},
	...get.description,
	...getAll.description,
	...getTeamMembers.description,
];
