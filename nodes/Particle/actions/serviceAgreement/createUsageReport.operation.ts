import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { throwIfInvalid } from '../common';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { agreementOwnerFields } from './fields';

const show = { resource: ['serviceAgreement'], operation: ['createUsageReport'] };
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const description: INodeProperties[] = [
	...agreementOwnerFields('createUsageReport', true),
	{
		displayName: 'Report Type',
		name: 'reportType',
		type: 'options',
		default: 'devices',
		options: [
			{ name: 'Devices', value: 'devices' },
			{ name: 'Products', value: 'products' },
		],
		displayOptions: { show },
	},
	{
		displayName: 'From (YYYY-MM-DD)',
		name: 'periodStart',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-11-01',
		displayOptions: { show },
	},
	{
		displayName: 'To (YYYY-MM-DD)',
		name: 'periodEnd',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-11-30',
		displayOptions: { show },
	},
	{
		displayName: 'Only These IDs',
		name: 'ids',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0123456789abcdef01234567,...',
		description: 'Comma-separated device IDs (devices report) or product IDs (products report); empty for all',
		displayOptions: { show },
	},
];

function dateOf(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(this.getNodeParameter(name, itemIndex)).trim();
	if (!DATE.test(value) || Number.isNaN(Date.parse(value))) {
		throwIfInvalid(this, { field: label, message: `${label} must be a date as YYYY-MM-DD (got "${value.slice(0, 30)}")` }, itemIndex);
	}
	return value;
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const agreement = segment(String(this.getNodeParameter('agreementId', itemIndex)), 'Service Agreement ID');
	const reportType = this.getNodeParameter('reportType', itemIndex) as 'devices' | 'products';
	const start = dateOf.call(this, 'periodStart', 'From', itemIndex);
	const end = dateOf.call(this, 'periodEnd', 'To', itemIndex);
	if (start > end) throwIfInvalid(this, { field: 'From', message: 'From must not be after To' }, itemIndex);
	const ids = String(this.getNodeParameter('ids', itemIndex, ''))
		.split(',')
		.map((id) => id.trim())
		.filter((id) => id !== '');
	const body: IDataObject = { report_type: reportType, date_period_start: start, date_period_end: end };
	if (ids.length > 0) body[reportType] = ids;
	const response = await request<{ data?: IDataObject }>(this, {
		method: 'POST',
		path: ownerPath.call(this, itemIndex, 'service_agreements', agreement, 'usage_reports'),
		body,
		itemIndex,
		gate,
	});
	return response.data ?? response;
}
