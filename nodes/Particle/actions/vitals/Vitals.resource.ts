import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as getHistory from './getHistory.operation';
import * as getLast from './getLast.operation';
import * as getMetadata from './getMetadata.operation';
import * as refresh from './refresh.operation';

export const vitalsOperations: ParticleOperations['vitals'] = { getHistory, getLast, getMetadata, refresh };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['vitals'] } },
		default: 'getLast',
		options: [
			{
				name: 'Get History',
				value: 'getHistory',
				description: 'Get the vitals a device sent over a date range, as items or as a CSV file',
				action: 'Get vitals history',
			},
			{
				name: 'Get Last',
				value: 'getLast',
				description: 'Get the most recent vitals (battery, signal, memory, cloud connection) of a device',
				action: 'Get last vitals',
			},
			{
				name: 'Get Metadata (Deprecated)',
				value: 'getMetadata',
				description:
					'Deprecated: Particle\'s current reference no longer lists this endpoint; use Get Last (the payload carries its units). Gets titles, units and healthy ranges where the cloud still answers.',
				action: 'Get deprecated vitals metadata',
			},
			{
				name: 'Refresh',
				value: 'refresh',
				description: 'Ask an online device to send its vitals now',
				action: 'Refresh vitals',
			},
		],
	},
	...getLast.description,
	...getHistory.description,
	...refresh.description,
	...getMetadata.description,
];
