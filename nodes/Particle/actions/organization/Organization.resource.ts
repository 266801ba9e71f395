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
			{ name: 'Get Many', value: 'getAll', description: 'List the organizations of the token', action: 'Get many organizations' },
			{ name: 'Get Products', value: 'getProducts', description: 'List the products of an organization', action: 'Get products of an organization' },
			{
				name: 'Get Team Members',
				value: 'getTeamMembers',
				description: 'List the people and API users of an organization',
				action: 'Get team members of an organization',
			},
		],
	},
	...getAll.description,
	...getProducts.description,
	...getTeamMembers.description,
];
