import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as deleteInstance from './deleteInstance.operation';
import * as getAll from './getAll.operation';
import * as getInstance from './getInstance.operation';
import * as setInstance from './setInstance.operation';

export const ledgerOperations: ParticleOperations['ledger'] = { deleteInstance, getAll, getInstance, setInstance };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['ledger'] } },
		default: 'getInstance',
		options: [
			{
				name: 'Delete Instance',
				value: 'deleteInstance',
				description: 'Delete the instance of a device, product or owner: its data is gone',
				action: 'Delete a ledger instance',
			},
			{
				name: 'Get Instance',
				value: 'getInstance',
				description: 'Get the data a ledger holds for a device, a product or the owner',
				action: 'Get a ledger instance',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the ledgers (definitions) of the account, a product or an organization',
				action: 'Get many ledgers',
			},
			{
				name: 'Set Instance',
				value: 'setInstance',
				description: 'Replace the data a ledger holds for a device, a product or the owner',
				action: 'Set a ledger instance',
			},
		],
	},
	...deleteInstance.description,
	...getAll.description,
	...getInstance.description,
	...setInstance.description,
];
