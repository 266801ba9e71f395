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
					'Create an API user with a name and scopes. Its access token is in the output once and never again: it is a secret, store it right away.',
				action: 'Create an API user',
			},
			{ name: 'Delete', value: 'delete', description: 'Delete an API user; its token stops working', action: 'Delete an API user' },
			{ name: 'Get Many', value: 'getAll', description: 'List the API users of a product or organization', action: 'Get many API users' },
			{
				name: 'Update',
				value: 'update',
				description: 'Change the name or scopes of an API user. Particle replaces its token: the output holds the new one, a secret.',
				action: 'Update an API user',
			},
		],
	},
	...create.description,
	...getAll.description,
	...update.description,
	...deleteApiUser.description,
];
