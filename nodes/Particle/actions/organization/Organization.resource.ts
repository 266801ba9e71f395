import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as getAll from './getAll.operation';
import * as getProducts from './getProducts.operation';
import * as getTeamMembers from './getTeamMembers.operation';

export const organizationOperations: ParticleOperations['organization'] = { getAll, getProducts, getTeamMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['organization'] } },
		default: 'getAll',
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the organizations the token belongs to: ID, name and slug of each',
				action: 'Get many organizations',
			},
			{
				name: 'Get Products',
				value: 'getProducts',
				description: 'List the products an organization owns, one item per product',
				action: 'Get products of an organization',
			},
			{
				name: 'Get Team Members',
				value: 'getTeamMembers',
				description: 'List the people and API users of an organization, one item per member (reads only)',
				action: 'Get team members of an organization',
			},
		],
	},
	...getAll.description,
	...getProducts.description,
	...getTeamMembers.description,
];
