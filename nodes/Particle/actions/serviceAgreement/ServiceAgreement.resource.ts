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
				description: 'Ask Particle to prepare a usage report (it is created in the account and emailed)',
				action: 'Create a usage report',
			},
			{ name: 'Get Many', value: 'getAll', description: 'List service agreements with their current usage', action: 'Get many service agreements' },
			{ name: 'Get Notifications', value: 'getNotifications', description: 'List usage notifications (70/90/100 %, pauses)', action: 'Get notifications' },
			{ name: 'Get Usage Report', value: 'getUsageReport', description: 'Get a usage report and, once ready, its download URL', action: 'Get a usage report' },
		],
	},
	...getAll.description,
	...createUsageReport.description,
	...getUsageReport.description,
	...getNotifications.description,
];
