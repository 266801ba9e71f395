import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { flattenObject, vitalsColumns, vitalsCsvLines, vitalsFileName, type VitalsRecord } from '../../../shared/csv';
import { checkVitalsRange, VITALS_HISTORY_MAX_DAYS } from '../../../shared/limits';
import { devicePath, vitalsPath } from '../../../shared/paths';
import { expectListIn } from '../../../shared/shapes';
import { request } from '../../../shared/transport';
import { deviceTargetFields, throwIfInvalid } from '../common';
import { OperationItems, type ItemResult, type OperationContext, type OperationResult } from '../types';
import { flattenField } from './getLast.operation';
import { readVitalsTarget, recordItem, type DiagnosticsRecord, type VitalsTarget } from './shared';

const show = { resource: ['vitals'], operation: ['getHistory'] };
const showCsv = { ...show, output: ['csv'] };

export const description: INodeProperties[] = [
	...deviceTargetFields(show),
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: `Oldest record to return. Particle keeps vitals for ${VITALS_HISTORY_MAX_DAYS} days.`,
		displayOptions: { show },
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Newest record to return; empty means now',
		displayOptions: { show },
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'items',
		options: [
			{ name: 'CSV File', value: 'csv', description: 'One CSV file in a binary property, one row per record' },
			{ name: 'Items', value: 'items', description: 'One item per vitals record' },
		],
		displayOptions: { show },
	},
	flattenField(['getHistory']),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The name of the binary property that holds the CSV file',
		displayOptions: { show: showCsv },
	},
	{
		displayName: 'Options',
		name: 'csvOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showCsv },
		options: [
			{
				displayName: 'Include Device Name',
				name: 'includeDeviceName',
				type: 'boolean',
				default: true,
				description: 'Whether to look up each device\'s name for the device_name column (one extra request per device)',
			},
			{
				displayName: 'One File for All Items',
				name: 'merge',
				type: 'boolean',
				default: false,
				description: 'Whether to put the devices of all input items into one CSV file instead of one file per item',
			},
		],
	},
];

interface CsvPart {
	records: VitalsRecord[];
	device: string;
	from: string;
	to: string;
}

function toIso(value: unknown, fallback: string): string {
	if (value === undefined || value === null || value === '') return fallback;
	// Luxon DateTimes and Dates from expressions print as dates; a plain object is quoted as JSON, not "[object Object]".
	const printed = String(value);
	const text = printed === '[object Object]' ? JSON.stringify(value) : printed;
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? text : new Date(parsed).toISOString();
}

async function deviceName(this: IExecuteFunctions, target: VitalsTarget, itemIndex: number, context: OperationContext): Promise<string | null> {
	const { mode, value } = this.getNodeParameter('device', itemIndex) as { mode: string; value: string };
	if (mode === 'name') return value;
	const device = await request<IDataObject>(this, {
		method: 'GET',
		path: devicePath(target.scope, target.device),
		itemIndex,
		gate: context.gate,
	});
	return typeof device.name === 'string' ? device.name : null;
}

/**
 * The CSV in one buffer of the exact size: lines are produced twice (once to measure, once to write) so that besides
 * Particle's answer only the file itself is held, never a list of chunks and their concatenation.
 */
export function csvBuffer(records: VitalsRecord[]): Buffer {
	const columns = vitalsColumns(records);
	let size = 0;
	for (const line of vitalsCsvLines(records, columns)) size += Buffer.byteLength(line, 'utf8');
	const buffer = Buffer.allocUnsafe(size);
	let offset = 0;
	for (const line of vitalsCsvLines(records, columns)) offset += buffer.write(line, offset, 'utf8');
	return buffer;
}

async function csvFile(this: IExecuteFunctions, records: VitalsRecord[], fileName: string): Promise<IBinaryData> {
	const binary = await this.helpers.prepareBinaryData(csvBuffer(records), fileName, 'text/csv');
	return { ...binary, mimeType: 'text/csv' };
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	context: OperationContext,
): Promise<OperationResult> {
	const { gate } = context;
	const now = new Date().toISOString();
	const from = toIso(this.getNodeParameter('startDate', itemIndex), '');
	const to = toIso(this.getNodeParameter('endDate', itemIndex, ''), now);
	throwIfInvalid(this, checkVitalsRange(from, to), itemIndex);
	const target = await readVitalsTarget.call(this, itemIndex, gate);

	const response = await request<unknown>(this, {
		method: 'GET',
		path: vitalsPath(target.scope, target.device),
		query: { start_date: from, end_date: to },
		itemIndex,
		gate,
	});
	const history = expectListIn<DiagnosticsRecord>(this, response, 'diagnostics', 'list of vitals records', itemIndex);

	if (this.getNodeParameter('output', itemIndex, 'items') === 'items') {
		const flatten = this.getNodeParameter('flatten', itemIndex, false) as boolean;
		return history.map((record) =>
			recordItem(record, target.device, (payload) => (flatten ? (flattenObject(payload) as IDataObject) : undefined)),
		);
	}

	const options = this.getNodeParameter('csvOptions', itemIndex, {}) as { includeDeviceName?: boolean; merge?: boolean };
	const name = options.includeDeviceName === false ? null : await deviceName.call(this, target, itemIndex, context);
	const records: VitalsRecord[] = history.map((record) => ({
		deviceId: record.deviceID ?? target.device,
		deviceName: name,
		timestamp: record.updated_at ?? '',
		payload: record.payload ?? {},
	}));
	const summary = { deviceId: target.device, deviceName: name, from, to, rows: records.length };
	if (options.merge === true) {
		return new OperationItems([{ json: summary }], { records, device: target.device, from, to } satisfies CsvPart);
	}
	const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;
	const file = await csvFile.call(this, records, vitalsFileName(name ?? target.device, from, to));
	return new OperationItems([{ json: summary, binary: { [property]: file } }]);
}

/** With "One File for All Items": every device's rows in one CSV, paired with every input item it came from. */
export async function combine(this: IExecuteFunctions, results: ItemResult[]): Promise<INodeExecutionData[] | undefined> {
	const parts = results
		.map((entry) => (entry.result instanceof OperationItems ? (entry.result.combinable as CsvPart | undefined) : undefined))
		.filter((part): part is CsvPart => part !== undefined);
	if (parts.length === 0) return undefined;
	const records = parts.flatMap((part) => part.records);
	const from = parts.map((part) => part.from).sort()[0];
	const to = parts.map((part) => part.to).sort().at(-1) ?? from;
	const property = this.getNodeParameter('binaryPropertyName', results[0].itemIndex, 'data') as string;
	const file = await csvFile.call(this, records, vitalsFileName('all', from, to));
	return [
		{
			json: { devices: parts.map((part) => part.device), from, to, rows: records.length },
			binary: { [property]: file },
			pairedItem: results.map((entry) => ({ item: entry.itemIndex })),
		},
	];
}
