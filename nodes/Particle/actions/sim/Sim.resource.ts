import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as deactivate from './deactivate.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getDataUsage from './getDataUsage.operation';
import * as getStatus from './getStatus.operation';
import * as reactivate from './reactivate.operation';
import * as release from './release.operation';

export const simOperations: ParticleOperations['sim'] = { deactivate, get, getAll, getDataUsage, getStatus, reactivate, release };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sim'] } },
		default: 'getAll',
		options: [
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Deactivate a SIM card: this stops the device’s cellular service until the SIM is reactivated',
				action: 'Deactivate a SIM',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a SIM card by ICCID: status, carrier, last device',
				action: 'Get a SIM',
			},
			{
				name: 'Get Data Usage',
				value: 'getDataUsage',
				description: 'Get the megabytes a SIM card used, day by day (Particle updates it up to an hour late)',
				action: 'Get SIM data usage',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the SIM cards of the sandbox or of a product, one item per SIM',
				action: 'Get many SIM cards',
			},
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the cellular network status of a SIM card: whether it has a GSM and a data connection',
				action: 'Get the network status of a SIM',
			},
			{
				name: 'Reactivate',
				value: 'reactivate',
				description: 'Reactivate a deactivated SIM card: its device gets cellular service again',
				action: 'Reactivate a SIM',
			},
			{
				name: 'Release',
				value: 'release',
				description: 'Release a SIM card from the account or product: this stops the device’s cellular service (the SIM is deactivated)',
				action: 'Release a SIM',
			},
		],
	},
	...deactivate.description,
	...get.description,
	...getAll.description,
	...getDataUsage.description,
	...getStatus.description,
	...reactivate.description,
	...release.description,
];
