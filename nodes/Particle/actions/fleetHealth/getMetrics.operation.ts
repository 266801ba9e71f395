import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkOneOf } from '../../../shared/limits';
import { productPath } from '../../../shared/paths';
import { expectListIn } from '../../../shared/shapes';
import { productField, readNumber, readProductScope, throwIfInvalid } from '../common';
import { fieldsFor, FILTERS_COLLECTION } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { readRange } from './timeRange';

/**
 * The metrics of Particle's "Fleet Health" section: the path, the key of the list in the answer, and the counts a
 * bucket has (the reference omits the ones that are 0 for integrations, functions and variables; the item shows 0).
 */
const METRICS = {
	online: { key: 'online', counts: ['count'] },
	events: { key: 'events', counts: ['received'] },
	integration: { key: 'integrations', counts: ['success', 'failure', 'sleep'] },
	functions: { key: 'functions', counts: ['success', 'failure', 'offline'] },
	variables: { key: 'variables', counts: ['success', 'failure', 'offline'] },
} as const;
type Metric = keyof typeof METRICS;

/** "Must be greater than 15" (seconds). */
const MIN_BUCKET_SECONDS = 16;

export const description = fieldsFor('fleetHealth', 'getMetrics', [
	productField(),
	{
		displayName: 'Metric',
		name: 'metric',
		type: 'options',
		default: 'online',
		options: [
			{ name: 'Events', value: 'events', description: 'Events the devices published (received)' },
			{ name: 'Function Calls', value: 'functions', description: 'Cloud function calls: success, failure, device offline' },
			{ name: 'Integrations', value: 'integration', description: 'Integration requests sent for the fleet: success, failure, skipped (sleep)' },
			{ name: 'Online Devices', value: 'online', description: 'Devices with a cloud connection (count)' },
			{ name: 'Variable Reads', value: 'variables', description: 'Cloud variable requests: success, failure, device offline' },
		],
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'Start of the range (inclusive)',
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'End of the range (inclusive); empty means now',
	},
	{
		displayName: 'Bucket Size (Seconds)',
		name: 'bucketSize',
		type: 'number',
		typeOptions: { minValue: MIN_BUCKET_SECONDS, numberPrecision: 0 },
		default: 900,
		description: 'Length of each bucket, one item per bucket. Particle’s default is 900 (15 minutes); it must be more than 15.',
	},
	{
		...FILTERS_COLLECTION,
		description: 'Count only the devices that match (Particle filters)',
		options: [
			{
				displayName: 'Device Group',
				name: 'deviceGroup',
				type: 'resourceLocator',
				default: { mode: 'list', value: '' },
				description: 'Only devices in this group',
				typeOptions: { loadOptionsDependsOn: ['product.value'] },
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchGroups', searchable: true } },
					{ displayName: 'By Name', name: 'name', type: 'string', placeholder: 'e.g. field-test' },
				],
			},
			{
				displayName: 'Device OS Version',
				name: 'deviceOsVersion',
				type: 'string',
				default: '',
				placeholder: 'e.g. 6.2.1',
				description: 'Only devices running this Device OS version',
			},
			{
				displayName: 'Product Firmware Version',
				name: 'productFirmware',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: 1,
				description: 'Only devices running this version of the product firmware',
			},
		],
	},
]);

/** The filters as Particle's query keys: `device_group`, `device_os_version`, `product_fw`. */
function filterQuery(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const query: IDataObject = {};
	// A locator gives `{ mode, value }`; an older or typed value may be the name itself.
	const chosen = filters.deviceGroup;
	const group: unknown = typeof chosen === 'object' && chosen !== null && 'value' in chosen ? (chosen as IDataObject).value : chosen;
	if (typeof group === 'string' && group.trim() !== '') query.device_group = group.trim();
	if (typeof filters.deviceOsVersion === 'string' && filters.deviceOsVersion.trim() !== '') query.device_os_version = filters.deviceOsVersion.trim();
	if (filters.productFirmware !== undefined) {
		query.product_fw = readNumber.call(this, 'filters.productFirmware', itemIndex, 0, 'Product Firmware Version', { whole: true, min: 0 });
	}
	return query;
}

/**
 * "Get ... metrics" (Fleet Health): GET /v1/products/:p/metrics/<metric> with `start_date`, `end_date`,
 * `bucket_size` and the filters; one item per bucket: `{ metric, time, <counts> }`.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const { product } = readProductScope.call(this, itemIndex);
	const metric = this.getNodeParameter('metric', itemIndex, 'online') as Metric;
	throwIfInvalid(this, checkOneOf(metric, 'Metric', Object.keys(METRICS)), itemIndex);
	const { start, end, endGiven } = readRange.call(this, itemIndex, true);
	const bucketSize = readNumber.call(this, 'bucketSize', itemIndex, 900, 'Bucket Size (Seconds)', { whole: true, min: MIN_BUCKET_SECONDS });
	// No End Date: none is sent, and Particle's default ("the current time") is its own clock's, not this machine's.
	const query = { start_date: start, ...(endGiven ? { end_date: end } : {}), bucket_size: bucketSize, ...filterQuery.call(this, itemIndex) };
	const { key, counts } = METRICS[metric];
	const answer = await client.get<unknown>(productPath(product, 'metrics', metric), { query });
	const buckets = expectListIn(this, answer, key, `${metric} metrics list`, itemIndex);
	return buckets.map((bucket) => {
		const zeros = Object.fromEntries(counts.map((name) => [name, 0]));
		return { metric, time: bucket.time, ...zeros, ...bucket };
	});
}
