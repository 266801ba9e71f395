import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as create from './create.operation';
import * as deleteApiUser from './delete.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const apiUserOperations: ParticleOperations['apiUser'] = { create, delete: deleteApiUser, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiUser'] } },
		default: 'getAll',
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create an API user of a product or organization, with a name and scopes. The output holds its access token, which Particle shows once and never again: it is a secret, store it right away.',
				action: 'Create an API user',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete an API user: it and its token stop working at once',
				action: 'Delete an API user',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the API users of a product or organization (people are left out)',
				action: 'Get many API users',
			},
			{
				name: 'Update',
				value: 'update',
				description:
					'Change the name or scopes of an API user. Particle replaces its token: the old one stops working, and the output holds the new one, a secret to store right away.',
				action: 'Update an API user',
			},
		],
	},
	...create.description,
	...getAll.description,
	...update.description,
	...deleteApiUser.description,
];
