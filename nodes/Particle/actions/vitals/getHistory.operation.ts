import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	flattenObject,
	vitalsCsvLines,
	vitalsCsvPart,
	vitalsFileName,
	type VitalsCsvPart,
	type VitalsDeviceFacts,
} from '../../../shared/csv';
import { checkVitalsRange, VITALS_HISTORY_MAX_DAYS } from '../../../shared/limits';
import { platformName } from '../../../shared/platforms';
import { devicePath, vitalsPath } from '../../../shared/paths';
import { expectListIn } from '../../../shared/shapes';
import type { ParticleClient, ParticleItemClient } from '../../../shared/client';
import { failureOf, toNodeApiError } from '../../../shared/transport';
import { deviceTargetFields, optionsCollection, readDeviceTarget, throwIfInvalid, type DeviceTarget } from '../common';
import { fieldsFor } from '../kit';
import { OperationItems, type ItemResult, type OperationContext, type OperationResult } from '../types';
import { flattenField, recordItem, type DiagnosticsRecord } from './shared';

/** Inside the Options collection: n8n reads a `/` name from the node's own parameters. */
const csvOnly = { show: { '/output': ['csv'] } };

export const description = fieldsFor('vitals', 'getHistory', [
	...deviceTargetFields(),
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		required: true,
		default: '',
		description: `Oldest record to return. Particle keeps vitals for ${VITALS_HISTORY_MAX_DAYS} days.`,
	},
	{
		displayName: 'End Date',
		name: 'endDate',
		type: 'dateTime',
		default: '',
		description: 'Newest record to return (Particle excludes records at exactly this time); empty means now',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'items',
		options: [
			{
				name: 'CSV File',
				value: 'csv',
				description: 'One CSV file per input item in a binary property (or one for all, see Options)',
			},
			{ name: 'Items', value: 'items', description: 'One item per vitals record' },
		],
		// Hidden in the AI-agent tool variant: n8n hands an agent no binary data, so a tool always returns items.
		displayOptions: { show: { '@tool': [false] } },
	},
	flattenField(),
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The name of the binary property that holds the CSV file',
		displayOptions: { show: { output: ['csv'] } },
	},
	// Shown for both outputs (Concurrency is in it); the CSV options only with CSV File. The name is the first
	// releases', when the collection held CSV options only.
	optionsCollection('vitals', 'getHistory', [
		{
			displayName: 'CSV Layout',
			name: 'layout',
			type: 'options',
			default: 'particle',
			displayOptions: csvOnly,
			options: [
				{
					name: 'Fleet Operator',
					value: 'operator',
					description:
						'Built by the node: device, name, platform, time, online, last heard, battery, signal, cloud disconnects, memory first, units in the header (battery_charge_pct, memory_used_bytes), the same columns for every device so files can be appended. Text cells that start with = + - @ are neutralised. Holds the device\'s records in memory while building.',
				},
				{
					name: 'Particle (Streamed)',
					value: 'particle',
					description:
						'Particle\'s own CSV export, streamed into the file as it arrives, so memory does not grow with the rows. Its cells are Particle\'s text, unchanged (not neutralised for spreadsheets).',
				},
			],
			description: 'Which CSV to write for each device. One File for All Items always uses the Fleet Operator layout.',
		},
		{
			displayName: 'Include Device Details',
			name: 'includeDeviceName',
			type: 'boolean',
			default: true,
			displayOptions: csvOnly,
			description:
				'Whether to look up each device (one extra request per device) for its name in the file name and, in the Fleet Operator layout, the device_name, platform, online and last_heard columns',
		},
		{
			displayName: 'One File for All Items',
			name: 'merge',
			type: 'boolean',
			default: false,
			displayOptions: csvOnly,
			description:
				'Whether to put the devices of all input items into one CSV file (Fleet Operator layout) instead of one file per item. The file is built in memory, so devices are read two at a time whatever the Concurrency.',
		},
	]),
]);

interface CsvOptions {
	includeDeviceName?: boolean;
	layout?: 'operator' | 'particle';
	merge?: boolean;
}

/** What "One File for All Items" keeps of each device until every item ran: its rows as compact CSV text. */
interface CombinablePart {
	part: VitalsCsvPart;
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

const textOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The device's own columns: from one device lookup, or only its ID when details are not wanted. */
async function deviceFacts(client: ParticleClient, target: DeviceTarget, lookUp: boolean): Promise<VitalsDeviceFacts> {
	if (!lookUp) return { deviceId: target.device };
	const device = await client.get<IDataObject>(devicePath(target.scope, target.device));
	const platformId = typeof device.platform_id === 'number' ? device.platform_id : null;
	return {
		// A sandbox device picked by name is addressed by it; the lookup gives its ID.
		deviceId: textOrNull(device.id) ?? target.device,
		deviceName: textOrNull(device.name),
		platform: platformName(platformId) ?? platformId,
		online: typeof device.online === 'boolean' ? device.online : null,
		lastHeard: textOrNull(device.last_heard),
	};
}

/**
 * The CSV in one buffer of the exact size: lines are produced twice (once to measure, once to write, dropping each
 * row as it is written), so at any time about one file's worth is held: the rows not yet written and the buffer so
 * far, never a list of chunks and their concatenation. The parts are spent afterwards.
 */
export function csvBuffer(parts: readonly VitalsCsvPart[]): Buffer {
	let size = 0;
	for (const line of vitalsCsvLines(parts)) size += Buffer.byteLength(line, 'utf8');
	const buffer = Buffer.allocUnsafe(size);
	let offset = 0;
	for (const line of vitalsCsvLines(parts, true)) offset += buffer.write(line, offset, 'utf8');
	return buffer;
}

async function csvFile(this: IExecuteFunctions, parts: readonly VitalsCsvPart[], fileName: string): Promise<IBinaryData> {
	const binary = await this.helpers.prepareBinaryData(csvBuffer(parts), fileName, 'text/csv');
	return { ...binary, mimeType: 'text/csv' };
}

/** Particle's own CSV, from the socket into n8n's binary data (on disk in a default n8n): never whole in memory. */
async function streamedParticleCsv(
	this: IExecuteFunctions,
	client: ParticleItemClient,
	target: DeviceTarget,
	query: IDataObject,
	fileName: string,
): Promise<IBinaryData> {
	const { itemIndex } = client;
	const download = await client.download({ path: vitalsPath(target.scope, target.device), query, accept: 'text/csv' });
	try {
		const binary = await this.helpers.prepareBinaryData(download.body, fileName, 'text/csv');
		return { ...binary, mimeType: 'text/csv' };
	} catch (error) {
		const failure = failureOf(error, 'GET', 0);
		// The connection broke while the file was written: said as for any request (not sent again: half a file).
		if (failure.networkCode !== undefined) throw toNodeApiError(this.getNode(), failure, itemIndex);
		throw new NodeOperationError(this.getNode(), `The CSV file could not be stored: ${failure.localError ?? 'unknown error'}`, {
			itemIndex,
			description: 'n8n could not write the file to its binary data storage. Check the free space and N8N_BINARY_DATA_STORAGE_PATH.',
		});
	}
}

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const now = new Date().toISOString();
	const from = toIso(this.getNodeParameter('startDate', itemIndex), '');
	const to = toIso(this.getNodeParameter('endDate', itemIndex, ''), now);
	throwIfInvalid(this, checkVitalsRange(from, to), itemIndex);
	const target = await readDeviceTarget.call(this, itemIndex, client);
	const query = { start_date: from, end_date: to };
	const output = this.getNodeParameter('output', itemIndex, 'items') as string;
	const options = this.getNodeParameter('csvOptions', itemIndex, {}) as CsvOptions;
	const merge = output === 'csv' && options.merge === true;
	const property = this.getNodeParameter('binaryPropertyName', itemIndex, 'data') as string;

	if (output === 'csv' && !merge && options.layout !== 'operator') {
		const { mode, value } = this.getNodeParameter('device', itemIndex) as { mode: string; value: unknown };
		// Only the name is needed here: a device picked by name needs no lookup.
		const name =
			options.includeDeviceName === false
				? null
				: mode === 'name'
					? String(value)
					: ((await deviceFacts(client, target, true)).deviceName ?? null);
		const file = await streamedParticleCsv.call(this, client, target, query, vitalsFileName(name ?? target.device, from, to));
		return new OperationItems([
			{ json: { deviceId: target.device, deviceName: name, from, to, layout: 'particle', bytes: file.bytes ?? null }, binary: { [property]: file } },
		]);
	}

	const response = await client.get<unknown>(vitalsPath(target.scope, target.device), { query });
	const history = expectListIn<DiagnosticsRecord>(this, response, 'diagnostics', 'list of vitals records', itemIndex);

	if (output === 'items') {
		const flatten = this.getNodeParameter('flatten', itemIndex, false) as boolean;
		return history.map((record) =>
			recordItem(record, target.device, (payload) => (flatten ? (flattenObject(payload) as IDataObject) : undefined)),
		);
	}

	const facts = await deviceFacts(client, target, options.includeDeviceName !== false);
	const part = vitalsCsvPart(
		facts,
		history.map((record) => ({ timestamp: record.updated_at ?? '', payload: record.payload ?? {} })),
	);
	const summary = { deviceId: facts.deviceId, deviceName: facts.deviceName ?? null, from, to, layout: 'operator', rows: part.rows.length };
	if (merge) {
		return new OperationItems([{ json: summary }], { part, device: facts.deviceId, from, to } satisfies CombinablePart);
	}
	const file = await csvFile.call(this, [part], vitalsFileName(facts.deviceName ?? facts.deviceId, from, to));
	return new OperationItems([{ json: summary, binary: { [property]: file } }]);
}

/**
 * "One File for All Items" keeps every device's rows until the file is written; each device's answer, parsed, is
 * several times its rows, so only two are read at once: memory stays near the file's own size (bench P4).
 */
export const MERGED_FILE_CONCURRENCY = 2;

export function maxConcurrency(this: IExecuteFunctions): number | undefined {
	const output = this.getNodeParameter('output', 0, 'items') as string;
	const options = this.getNodeParameter('csvOptions', 0, {}) as CsvOptions;
	return output === 'csv' && options.merge === true ? MERGED_FILE_CONCURRENCY : undefined;
}

/** With "One File for All Items": every device's rows in one CSV, paired with every input item it came from. */
export async function combine(this: IExecuteFunctions, results: ItemResult[]): Promise<INodeExecutionData[] | undefined> {
	const parts = results
		.map((entry) => (entry.result instanceof OperationItems ? (entry.result.combinable as CombinablePart | undefined) : undefined))
		.filter((part): part is CombinablePart => part !== undefined);
	if (parts.length === 0) return undefined;
	const from = parts.map((part) => part.from).sort()[0];
	const to = parts.map((part) => part.to).sort().at(-1) ?? from;
	const property = this.getNodeParameter('binaryPropertyName', results[0].itemIndex, 'data') as string;
	const csvParts = parts.map((part) => part.part);
	const file = await csvFile.call(this, csvParts, vitalsFileName('all', from, to));
	return [
		{
			json: { devices: parts.map((part) => part.device), from, to, layout: 'operator', rows: csvParts.reduce((sum, part) => sum + part.rows.length, 0) },
			binary: { [property]: file },
			pairedItem: results.map((entry) => ({ item: entry.itemIndex })),
		},
	];
}
