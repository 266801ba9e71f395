import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as create from './create.operation';
import * as createClaimCode from './createClaimCode.operation';
import * as createToken from './createToken.operation';
import * as deleteCustomer from './delete.operation';
import * as getAll from './getAll.operation';
import * as updatePassword from './updatePassword.operation';

export const customerOperations: ParticleOperations['customer'] = {
	create,
	createClaimCode,
	createToken,
	delete: deleteCustomer,
	getAll,
	updatePassword,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		default: 'getAll',
		options: [
			{
				name: 'Create',
				value: 'create',
				description:
					'Create a customer of the product (needs the product OAuth client). The output holds the new customer\'s access token: a secret, store it right away.',
				action: 'Create a customer',
			},
			{
				name: 'Create Claim Code',
				value: 'createClaimCode',
				description: 'Create a claim code with which a device is claimed to this customer (needs the product OAuth client)',
				action: 'Create a claim code for a customer',
			},
			{
				name: 'Create Token',
				value: 'createToken',
				description:
					'Create an access token limited to this customer\'s devices (needs the product OAuth client). The output holds the token: a secret.',
				action: 'Create a customer token',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a customer; Particle revokes its tokens and claim codes',
				action: 'Delete a customer',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the customers of a product',
				action: 'Get many customers',
			},
			{
				name: 'Update Password',
				value: 'updatePassword',
				description: 'Set a new password for a customer',
				action: 'Update a customer password',
			},
		],
	},
	...create.description,
	...createClaimCode.description,
	...createToken.description,
	...deleteCustomer.description,
	...getAll.description,
	...updatePassword.description,
];
