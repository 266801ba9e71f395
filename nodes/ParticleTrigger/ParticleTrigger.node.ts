import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { deviceScopeField, productField, throwIfInvalid } from '../Particle/actions/common';
import { searchProducts } from '../Particle/methods/listSearch';
import { flattenObject } from '../shared/csv';
import {
	checkDeviceId,
	checkNotEmpty,
	checkNumber,
	checkOneOf,
	checkProductIdOrSlug,
	checkText,
	checkTextList,
	textListOf,
	textOf,
	toNumber,
	type NumberRule,
} from '../shared/limits';
import { devicesPath, vitalsPath, type DeviceScope } from '../shared/paths';
import { expectList } from '../shared/shapes';
import { request, requestAllPages, RateLimitGate } from '../shared/transport';
import {
	detectChanges,
	devicesNeedingVitals,
	isWatchingVitals,
	type FleetEvent,
	type FleetState,
	type ObservedDevice,
	type ObservedVitals,
	type ThresholdRule,
	type VitalsValue,
	type WatchOptions,
} from './fleetChanges';

const EVENTS: FleetEvent[] = ['deviceCameOnline', 'deviceWentOffline', 'vitalsThreshold', 'vitalsUpdated'];
const OPERATORS: Array<ThresholdRule['operator']> = ['above', 'below'];

const VITALS_FIELDS = [
	{ name: 'Battery Charge (%)', value: 'device.power.battery.charge' },
	{ name: 'Cloud Disconnects', value: 'device.cloud.connection.disconnects' },
	{ name: 'Memory Used (Bytes)', value: 'device.system.memory.used' },
	{ name: 'Round Trip Time (Ms)', value: 'device.cloud.coap.round_trip' },
	{ name: 'Signal Quality (%)', value: 'device.network.signal.quality' },
	{ name: 'Signal Strength (%)', value: 'device.network.signal.strength' },
	{ name: 'Signal Strength (dBm)', value: 'device.network.signal.strengthv' },
	{ name: 'Other (Enter a Path)', value: 'custom' },
];

export class ParticleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Particle Trigger',
		name: 'particleTrigger',
		icon: { light: 'file:../../icons/particle.svg', dark: 'file:../../icons/particle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when a Particle device goes offline, comes back online, or its vitals change',
		defaults: { name: 'Particle Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['deviceWentOffline'],
				options: [
					{ name: 'Device Came Online', value: 'deviceCameOnline' },
					{ name: 'Device Went Offline', value: 'deviceWentOffline' },
					{
						name: 'Vitals Crossed a Threshold',
						value: 'vitalsThreshold',
						description: 'Once when a vitals field crosses the value, not on every poll while it stays there',
					},
					{ name: 'Vitals Updated', value: 'vitalsUpdated', description: 'A device sent new vitals' },
				],
			},
			deviceScopeField(),
			productField({ deviceScope: ['product'] }),
			{
				displayName: 'Vitals Field',
				name: 'thresholdField',
				type: 'options',
				default: 'device.power.battery.charge',
				options: VITALS_FIELDS,
				displayOptions: { show: { events: ['vitalsThreshold'] } },
			},
			{
				displayName: 'Vitals Path',
				name: 'thresholdPath',
				type: 'string',
				default: '',
				placeholder: 'e.g. device.system.uptime',
				description: 'Dotted path of a numeric field in the vitals payload',
				displayOptions: { show: { events: ['vitalsThreshold'], thresholdField: ['custom'] } },
			},
			{
				displayName: 'Fire When the Value Is',
				name: 'thresholdOperator',
				type: 'options',
				default: 'below',
				options: [
					{ name: 'Above', value: 'above' },
					{ name: 'Below', value: 'below' },
				],
				displayOptions: { show: { events: ['vitalsThreshold'] } },
			},
			{
				displayName: 'Threshold',
				name: 'thresholdValue',
				type: 'number',
				default: 20,
				displayOptions: { show: { events: ['vitalsThreshold'] } },
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Device ID',
						name: 'deviceId',
						type: 'string',
						default: '',
						description: 'Watch only this device',
					},
					{
						displayName: 'Groups',
						name: 'groups',
						type: 'string',
						default: '',
						placeholder: 'e.g. field,beta',
						description: 'Product devices only: comma-separated group names',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Consider Offline After (Minutes)',
						name: 'offlineAfterMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'Consider a device offline when not heard from for this many minutes. Particle can take about 46 minutes to mark a cellular device offline (about 50 seconds for Wi-Fi), so a few minutes more than the device\'s reporting interval alerts sooner. 0 trusts Particle\'s online flag.',
					},
					{
						displayName: 'Report on First Poll',
						name: 'reportOnBaseline',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll after activation reports devices already offline (and thresholds already crossed) instead of only recording the fleet',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchProducts } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const scope = readScope.call(this);
		const options = readWatchOptions.call(this);
		const filters = readFilters.call(this);
		const gate = new RateLimitGate();

		if (this.getMode() === 'manual') {
			const devices = await listDevices.call(this, scope, filters, gate, 1);
			return [this.helpers.returnJsonArray(sampleItems(devices, options, scope))];
		}

		const staticData = this.getWorkflowStaticData('node') as { fleet?: FleetState };
		const previous = staticData.fleet;
		const listed = await listDevices.call(this, scope, filters, gate);
		const readings = new Map<string, ObservedVitals>();
		const unread = new Set<string>();
		if (isWatchingVitals(options)) {
			for (const id of devicesNeedingVitals(previous, listed)) {
				try {
					readings.set(id, await readVitals.call(this, scope, id, gate));
				} catch {
					// Left for the next poll: the device keeps its previous state, so nothing is reported falsely.
					unread.add(id);
				}
			}
		}
		const { changes, next } = detectChanges({
			previous,
			devices: listed.filter((device) => !unread.has(device.id)),
			vitals: readings,
			options,
			product: scope.kind === 'product' ? scope.product : null,
			now: Date.now(),
		});
		staticData.fleet = next;
		return changes.length > 0 ? [this.helpers.returnJsonArray(changes as unknown as IDataObject[])] : null;
	}
}

/*
 * Every parameter below may come from an expression, so it may be anything: each is checked before the first request
 * and refused with an error that names its field. A number is taken as its text where text is expected.
 */

function checkedText(context: IPollFunctions, value: unknown, field: string, accepted?: string): string {
	throwIfInvalid(context, checkText(value, field, accepted));
	return (textOf(value) ?? '').trim();
}

function checkedNumber(context: IPollFunctions, value: unknown, field: string, rule?: NumberRule): number {
	throwIfInvalid(context, checkNumber(value, field, rule));
	return toNumber(value);
}

function readScope(this: IPollFunctions): DeviceScope {
	if (this.getNodeParameter('deviceScope', 'sandbox') !== 'product') return { kind: 'sandbox' };
	const product = checkedText(this, this.getNodeParameter('product', '', { extractValue: true }), 'Product', 'a product ID or slug');
	throwIfInvalid(this, checkProductIdOrSlug(product));
	return { kind: 'product', product };
}

function readEvents(this: IPollFunctions): FleetEvent[] {
	const value: unknown = this.getNodeParameter('events', []);
	throwIfInvalid(this, checkTextList(value, 'Events', 'a list of event names'));
	const events = textListOf(value) ?? [];
	for (const event of events) throwIfInvalid(this, checkOneOf(event, 'Events', EVENTS));
	return events as FleetEvent[];
}

function readThreshold(this: IPollFunctions): ThresholdRule {
	const field = checkedText(this, this.getNodeParameter('thresholdField', 'device.power.battery.charge'), 'Vitals Field', 'a vitals path');
	const path = field === 'custom' ? checkedText(this, this.getNodeParameter('thresholdPath', ''), 'Vitals Path') : field;
	throwIfInvalid(this, checkNotEmpty(path, field === 'custom' ? 'Vitals Path' : 'Vitals Field'));
	const operator: unknown = this.getNodeParameter('thresholdOperator', 'below');
	throwIfInvalid(this, checkOneOf(operator, 'Fire When the Value Is', OPERATORS));
	return {
		path,
		operator: operator as ThresholdRule['operator'],
		value: checkedNumber(this, this.getNodeParameter('thresholdValue', 20), 'Threshold'),
	};
}

function readWatchOptions(this: IPollFunctions): WatchOptions {
	const events = readEvents.call(this);
	const options = this.getNodeParameter('options', {}) as { offlineAfterMinutes?: unknown; reportOnBaseline?: boolean };
	const offlineAfterMinutes =
		options.offlineAfterMinutes === undefined
			? undefined
			: checkedNumber(this, options.offlineAfterMinutes, 'Consider Offline After (Minutes)', { min: 0 });
	return {
		events,
		threshold: events.includes('vitalsThreshold') ? readThreshold.call(this) : undefined,
		offlineAfterMinutes,
		reportOnBaseline: options.reportOnBaseline,
	};
}

interface FleetFilters {
	/** Lower-case device ID, or undefined for every device. */
	deviceId?: string;
	/** Comma-separated group names, or undefined for every group. */
	groups?: string;
}

function readFilters(this: IPollFunctions): FleetFilters {
	const filters = this.getNodeParameter('filters', {}) as { deviceId?: unknown; groups?: unknown };
	const deviceId = checkedText(this, filters.deviceId, 'Device ID', 'a single device ID').toLowerCase();
	if (deviceId !== '') throwIfInvalid(this, checkDeviceId(deviceId, 'Device ID'));
	// A list of group names (from an expression) is what Particle's comma-separated filter means.
	throwIfInvalid(this, checkTextList(filters.groups, 'Groups', 'text or a list of group names'));
	const groups = (textListOf(filters.groups) ?? []).join(',');
	return { deviceId: deviceId || undefined, groups: groups || undefined };
}

function observed(device: IDataObject): ObservedDevice {
	return {
		id: String(device.id),
		name: typeof device.name === 'string' ? device.name : null,
		online: device.online === true || device.connected === true,
		lastHeard: typeof device.last_heard === 'string' ? device.last_heard : null,
	};
}

/** The whole fleet at the largest page size: ceil(N / 100) calls for a product, one for the sandbox. */
async function listDevices(
	this: IPollFunctions,
	scope: DeviceScope,
	{ deviceId: onlyDevice, groups }: FleetFilters,
	gate: RateLimitGate,
	limit?: number,
): Promise<ObservedDevice[]> {
	let devices: IDataObject[];
	if (scope.kind === 'product') {
		const query: IDataObject = {};
		if (groups) query.groups = groups;
		if (onlyDevice) query.deviceId = onlyDevice;
		devices = await requestAllPages<IDataObject>(this, { method: 'GET', path: devicesPath(scope), query, gate }, { itemsKey: 'devices', limit });
	} else {
		devices = expectList(this, await request<unknown>(this, { method: 'GET', path: devicesPath(scope), gate }), 'device list');
	}
	const all = devices.map(observed).filter((device) => onlyDevice === undefined || device.id === onlyDevice);
	return limit === undefined ? all : all.slice(0, limit);
}

async function readVitals(this: IPollFunctions, scope: DeviceScope, deviceId: string, gate: RateLimitGate): Promise<ObservedVitals> {
	const response = await request<{ diagnostics?: { updated_at?: string; payload?: unknown } }>(this, {
		method: 'GET',
		path: vitalsPath(scope, deviceId, 'last'),
		gate,
	});
	return {
		updatedAt: response.diagnostics?.updated_at ?? null,
		values: flattenObject(response.diagnostics?.payload ?? {}) as Record<string, VitalsValue>,
	};
}

/** "Fetch Test Event": one item shaped like a real one, from a real device, without touching the saved state. */
function sampleItems(devices: ObservedDevice[], options: WatchOptions, scope: DeviceScope): IDataObject[] {
	const device = devices[0];
	if (!device) return [];
	return [
		{
			event: options.events[0] ?? 'deviceWentOffline',
			deviceId: device.id,
			deviceName: device.name,
			product: scope.kind === 'product' ? scope.product : null,
			online: device.online,
			previouslyOnline: !device.online,
			lastHeard: device.lastHeard,
			sample: true,
		},
	];
}
