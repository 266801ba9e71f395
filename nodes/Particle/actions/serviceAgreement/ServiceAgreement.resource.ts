import type { INodeProperties } from 'n8n-workflow';

import type { ParticleOperations } from '../types';
import * as createUsageReport from './createUsageReport.operation';
import * as getAll from './getAll.operation';
import * as getNotifications from './getNotifications.operation';
import * as getUsageReport from './getUsageReport.operation';

export const serviceAgreementOperations: ParticleOperations['serviceAgreement'] = {
	createUsageReport,
	getAll,
	getNotifications,
	getUsageReport,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['serviceAgreement'] } },
		default: 'getAll',
		options: [
			{
				name: 'Create Usage Report',
				value: 'createUsageReport',
				description:
					'Create a usage report for a period: Particle starts building it (state "pending") and emails it when ready. Read it later with Get Usage Report.',
				action: 'Create a usage report',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the service agreements of the account or of an organization, with their current usage',
				action: 'Get many service agreements',
			},
			{
				name: 'Get Notifications',
				value: 'getNotifications',
				description: 'List the usage notifications of a service agreement (70/90/100 % reached, pauses)',
				action: 'Get service agreement notifications',
			},
			{
				name: 'Get Usage Report',
				value: 'getUsageReport',
				description: 'Get a usage report: its state and, once available, its download URL',
				action: 'Get a usage report',
			},
		],
	},
	...getAll.description,
	...createUsageReport.description,
	...getUsageReport.description,
	...getNotifications.description,
];
