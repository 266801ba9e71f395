import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkDeviceId } from '../../../shared/limits';
import { throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { agreementIdField, agreementOwnerFields, readAgreementId } from './fields';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export const description = fieldsFor('serviceAgreement', 'createUsageReport', [
	...agreementOwnerFields(),
	agreementIdField(),
	{
		displayName: 'Report Type',
		name: 'reportType',
		type: 'options',
		default: 'devices',
		options: [
			{ name: 'Devices', value: 'devices', description: 'Usage per device' },
			{ name: 'Products', value: 'products', description: 'Usage per product' },
		],
	},
	{
		displayName: 'Period Start',
		name: 'periodStart',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-11-01',
		description: 'First day of the report, as YYYY-MM-DD',
	},
	{
		displayName: 'Period End',
		name: 'periodEnd',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 2026-11-30',
		description: 'Last day of the report, as YYYY-MM-DD; not before Period Start',
	},
	{
		displayName: 'Device IDs',
		name: 'deviceIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0123456789abcdef01234567, 89abcdef0123456789abcdef',
		description: 'Comma-separated device IDs to report on. Empty: every device of the agreement.',
		displayOptions: { show: { reportType: ['devices'] } },
	},
	{
		displayName: 'Product IDs',
		name: 'productIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. 12345, 12346',
		description: 'Comma-separated product IDs to report on. Empty: every product of the agreement.',
		displayOptions: { show: { reportType: ['products'] } },
	},
]);

/** A real calendar day as YYYY-MM-DD (2026-02-30 is refused too). */
function readDay(this: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(this.getNodeParameter(name, itemIndex, '', { ensureType: 'string' })).trim();
	const parsed = DAY_PATTERN.test(value) ? new Date(`${value}T00:00:00Z`) : undefined;
	if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
		throwIfInvalid(
			this,
			{ field: label, message: `${label} must be a date as YYYY-MM-DD (got "${value.slice(0, 30)}")` },
			itemIndex,
		);
	}
	return value;
}

function readIds(this: IExecuteFunctions, name: string, itemIndex: number): string[] {
	// An array from an expression joins with commas, like a typed list.
	return String(this.getNodeParameter(name, itemIndex, ''))
		.split(',')
		.map((id) => id.trim())
		.filter((id) => id !== '');
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const agreement = readAgreementId.call(this, itemIndex);
	const reportType = this.getNodeParameter('reportType', itemIndex) as 'devices' | 'products';
	const start = readDay.call(this, 'periodStart', 'Period Start', itemIndex);
	const end = readDay.call(this, 'periodEnd', 'Period End', itemIndex);
	// Same-format dates compare correctly as text.
	if (start > end) {
		throwIfInvalid(this, { field: 'Period Start', message: 'Period Start must not be after Period End' }, itemIndex);
	}
	const ids = readIds.call(this, reportType === 'devices' ? 'deviceIds' : 'productIds', itemIndex);
	if (reportType === 'devices') {
		for (const id of ids) throwIfInvalid(this, checkDeviceId(id, `Device ID "${id.slice(0, 30)}"`), itemIndex);
	}

	const body: IDataObject = { report_type: reportType, date_period_start: start, date_period_end: end };
	if (ids.length > 0) body[reportType] = ids;
	const path = ownerPath.call(this, itemIndex, 'service_agreements', agreement, 'usage_reports');
	const response = await client.send<{ data?: IDataObject }>('POST', path, { body });
	return response.data ?? response;
}
