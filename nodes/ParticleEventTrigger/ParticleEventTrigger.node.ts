import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { deviceField, productField } from '../Particle/actions/common';
import { organizationField } from '../Particle/actions/organization/fields';
import { searchDevices, searchOrganizations, searchProducts } from '../Particle/methods/listSearch';
import { particleClient } from '../shared/client';
import { IDLE_TIMEOUT_MS, ParticleEventStream, type ParticleEvent } from '../shared/eventStream';
import { checkName } from '../shared/limits';
import { checkDeviceLocator, checkLinkInScope, checkOrganizationLocator, checkProductLocator } from '../shared/locators';
import { devicePath, devicesPath, segment, type DeviceScope } from '../shared/paths';
import { expectList } from '../shared/shapes';
import type { ObservedDevice } from '../ParticleTrigger/fleetChanges';
import { EXACT_NAME_OPTION, PARSE_JSON_OPTION } from './eventOptions';
import { loadStatusState, StatusTracker, SYSTEM_EVENT_PREFIX, type ProductOfEvent, type StatusState } from './statusEvents';
import { eventNamesExpression } from '../ParticleTrigger/watchParameters';
import { PUBLISHED_MODE, readStatusWatch, STATUS_EVENT_OPTIONS, STATUS_MODE, statusProperties } from './statusParameters';

type StreamScope = 'mine' | 'device' | 'product' | 'productDevice' | 'organization';

/** Inside the Options collection: shown only for published events (`/` reads the node's top-level parameter). */
const forPublishedEvents = { show: { '/triggerOn': [PUBLISHED_MODE] } };
/** The field's default is the stream's own watchdog; a named constant, as n8n's lint reads `default` only then. */
const SILENCE_TIMEOUT_DEFAULT_S = IDLE_TIMEOUT_MS / 1000;

export class ParticleEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Particle Event Trigger',
		name: 'particleEventTrigger',
		icon: { light: 'file:../../icons/particle.svg', dark: 'file:../../icons/particle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ $parameter["triggerOn"] === "${STATUS_MODE}" ? ${eventNamesExpression(STATUS_EVENT_OPTIONS)} : "Events: " + ($parameter["eventName"] || "all") }}`,
		description: 'Starts the workflow the moment a Particle device publishes an event, goes offline, comes online or sends vitals (a live stream, no polling)',
		eventTriggerDescription: 'Waiting for a Particle event: publish one from a device or from the Particle console',
		activationMessage: 'The workflow now starts on every matching Particle event, as it arrives.',
		defaults: { name: 'Particle Event Trigger' },
		// The node panel's docs link: n8n uses this as it is (a codex link gets a query appended after the anchor).
		documentationUrl: 'https://github.com/n8n-nodes-particle/n8n-nodes-particle/blob/main/README.md#particle-event-trigger',
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		properties: [
			{
				displayName: 'Trigger On',
				name: 'triggerOn',
				type: 'options',
				default: PUBLISHED_MODE,
				options: [
					{
						name: 'Device Status and Vitals',
						value: STATUS_MODE,
						description:
							'A device went offline, came online, sent vitals or crossed a vitals threshold, from Particle\'s own spark/ events; the same items as the Particle Trigger (polling)',
					},
					{ name: 'Published Events', value: PUBLISHED_MODE, description: 'Every event the devices publish' },
				],
			},
			...statusProperties,
			{
				displayName: 'Listen To',
				name: 'scope',
				type: 'options',
				default: 'mine',
				options: [
					{ name: 'A Product', value: 'product' },
					{ name: 'An Organization', value: 'organization' },
					{ name: 'My Devices', value: 'mine', description: 'Every device claimed to the account of the token' },
					{ name: 'One Device', value: 'device' },
					{ name: 'One Product Device', value: 'productDevice' },
				],
			},
			productField({ scope: ['product', 'productDevice'] }),
			organizationField({ scope: ['organization'] }),
			// `deviceId`, the name of the text field it replaces: a saved workflow's plain ID still reads.
			deviceField({ scope: ['device', 'productDevice'] }, { name: 'deviceId', byName: false, dependsOn: ['scope', 'product.value'] }),
			{
				displayName: 'Event Name',
				name: 'eventName',
				type: 'string',
				default: '',
				placeholder: 'e.g. temperature',
				description:
					'Particle sends every event whose name starts with this text (temp matches temperature too); empty for all events',
				displayOptions: { show: { triggerOn: [PUBLISHED_MODE] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{ ...EXACT_NAME_OPTION, displayOptions: forPublishedEvents },
					{
						displayName: 'Include System Events',
						name: 'includeSystemEvents',
						type: 'boolean',
						displayOptions: forPublishedEvents,
						default: false,
						description: 'Whether to include Particle\'s own events (spark/status, spark/device/diagnostics/update...)',
					},
					{ ...PARSE_JSON_OPTION, displayOptions: forPublishedEvents },
					{
						displayName: 'Reopen When Silent For (Seconds)',
						name: 'silenceTimeout',
						type: 'number',
						typeOptions: { minValue: 15, maxValue: 300 },
						default: SILENCE_TIMEOUT_DEFAULT_S,
						description:
							'Particle sends a keep-alive at least every 12 seconds or so; a stream silent this long (an unanswered open included) is dead and is reopened. Less than 15 would reopen healthy streams and lose events.',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchDevices, searchOrganizations, searchProducts } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		// Every parameter is read here, during activation: n8n evaluates expressions only while an activation runs.
		if (this.getNodeParameter('triggerOn', PUBLISHED_MODE) === STATUS_MODE) return await statusTrigger.call(this);
		const eventName = textParameter.call(this, 'eventName');
		if (eventName !== '') throwIf(this, checkName(eventName, 'Event name')?.message);
		// Encoded before the scope's fields are read: a broken name is reported first.
		const prefix = eventName === '' ? [] : [segment(eventName, 'Event name')];
		const path = streamPath(readTarget.call(this), prefix);
		const options = this.getNodeParameter('options', {}) as {
			exactName?: boolean;
			includeSystemEvents?: boolean;
			parseJson?: boolean;
			silenceTimeout?: unknown;
		};
		const wanted = (event: ParticleEvent): boolean =>
			(!options.exactName || eventName === '' || event.name === eventName) &&
			(options.includeSystemEvents === true || eventName.startsWith('spark/') || !event.name.startsWith('spark/'));

		const stream = new ParticleEventStream(this, {
			path,
			parseJson: options.parseJson !== false,
			idleTimeoutMs: silenceTimeoutMs(this, options.silenceTimeout),
			onEvent: (event) => {
				if (wanted(event)) this.emit([this.helpers.returnJsonArray([event as IDataObject])]);
			},
			onFatal: (error) => this.emitError(error),
		});
		await stream.start();
		return {
			closeFunction: async () => stream.close(),
		};
	}
}

/**
 * "Device Status and Vitals": one stream of the `spark` prefix, its `spark/status` and vitals events turned into the
 * polling trigger's items. The state lives in the node's static data. n8n saves that when the trigger emits (and after
 * activation), so the state is updated before each emit; a change that emits nothing is saved with the next item.
 */
async function statusTrigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
	const target = readTarget.call(this);
	const watch = readStatusWatch(this);
	const options = this.getNodeParameter('options', {}) as { silenceTimeout?: unknown };
	const idleTimeoutMs = silenceTimeoutMs(this, options.silenceTimeout);

	const staticData = this.getWorkflowStaticData('node') as { status?: StatusState };
	const state = loadStatusState(staticData.status, watch.threshold);
	// Assigned again after every change: n8n's change tracking does not see inside an object added later.
	const save = () => {
		staticData.status = state;
	};
	save();
	const tracker = new StatusTracker(state, watch, productOfEvents(target));
	const stream = new ParticleEventStream(this, {
		path: streamPath(target, [segment(SYSTEM_EVENT_PREFIX, 'Event name')]),
		parseJson: true,
		idleTimeoutMs,
		onEvent: (event) => {
			const { changes, changed } = tracker.handle(event);
			if (changed) save();
			if (changes.length > 0) this.emit([this.helpers.returnJsonArray(changes as unknown as IDataObject[])]);
		},
		onFatal: (error) => this.emitError(error),
	});
	await stream.start();
	// Read after the stream is open, so no change falls between the two; an event received meanwhile is newer and wins.
	const devices = await readDevices.call(this, target);
	if (devices && tracker.seed(devices, target.scope === 'mine' || target.scope === 'product')) save();
	return {
		closeFunction: async () => stream.close(),
	};
}

/** Below 15 s a healthy stream between two keep-alives would be taken for dead (particle-api-js waits 15 s too). */
const SILENCE_TIMEOUT_RANGE = { min: 15, max: 300 };

/** "Reopen When Silent For", checked: a value that is not a number would switch the watchdog off. */
function silenceTimeoutMs(context: ITriggerFunctions, value: unknown): number {
	if (value === undefined || value === '') return IDLE_TIMEOUT_MS;
	const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < SILENCE_TIMEOUT_RANGE.min || seconds > SILENCE_TIMEOUT_RANGE.max) {
		throw new NodeOperationError(
			context.getNode(),
			`Reopen When Silent For must be a number of seconds from ${SILENCE_TIMEOUT_RANGE.min} to ${SILENCE_TIMEOUT_RANGE.max}, not ${describeValue(value)}`,
		);
	}
	return Math.round(seconds * 1000);
}

function describeValue(value: unknown): string {
	if (typeof value === 'string') return `"${value.slice(0, 40)}"`;
	if (typeof value === 'number') return String(value);
	return JSON.stringify(value)?.slice(0, 40) ?? String(value);
}

const FIELD_NAMES = { eventName: 'Event Name' };

/** A text parameter as text even when an expression made it a number; an object or a list is refused. */
function textParameter(this: ITriggerFunctions, name: keyof typeof FIELD_NAMES): string {
	const value = this.getNodeParameter(name, '', { extractValue: true }) as unknown;
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (value === undefined || value === null) return '';
	throw new NodeOperationError(this.getNode(), `${FIELD_NAMES[name]} must be text, not ${describeValue(value)}`);
}

interface StreamTarget {
	scope: StreamScope;
	/** Checked and encoded as one path segment each; present for the scopes that need them. */
	product?: string;
	deviceId?: string;
	organization?: string;
}

function throwIf(context: ITriggerFunctions, message: string | undefined): void {
	if (message) throw new NodeOperationError(context.getNode(), message);
}

/** What to change when a product device's Console link is used with One Device, in this trigger's words. */
const CHOOSE_PRODUCT_DEVICE = (product: string) => `Set Listen To to One Product Device and choose product "${product}" (its Product field takes the same link).`;

/**
 * The chosen scope and its product, device or organization, checked. Each is a locator read as stored: the
 * `{ mode, value }` of the pickers, or the plain text of a workflow saved when these were text fields.
 */
function readTarget(this: ITriggerFunctions): StreamTarget {
	const scope = this.getNodeParameter('scope', 'mine') as StreamScope;
	const target: StreamTarget = { scope };
	if (scope === 'product' || scope === 'productDevice') {
		const product = checkProductLocator(this.getNodeParameter('product', ''));
		throwIf(this, product.violation?.message);
		target.product = product.value;
	}
	if (scope === 'device' || scope === 'productDevice') {
		const device = checkDeviceLocator(this.getNodeParameter('deviceId', ''));
		throwIf(this, device.violation?.message);
		const devices: DeviceScope = target.product === undefined ? { kind: 'sandbox' } : { kind: 'product', product: target.product };
		if (device.value) throwIf(this, checkLinkInScope(device.value, devices, CHOOSE_PRODUCT_DEVICE)?.message);
		target.deviceId = device.value?.device;
	}
	if (scope === 'organization') {
		const organization = checkOrganizationLocator(this.getNodeParameter('organization', ''));
		throwIf(this, organization.violation?.message);
		target.organization = organization.value;
	}
	return target;
}

/** The stream route for the target and the event-name prefix (encoded segments), every value one encoded segment. */
function streamPath(target: StreamTarget, prefix: string[]): string {
	const product = () => segment(target.product ?? '', 'Product');
	const device = () => segment(target.deviceId ?? '', 'Device');
	const parts: Record<StreamScope, () => string[]> = {
		mine: () => ['devices', 'events'],
		device: () => ['devices', device(), 'events'],
		product: () => ['products', product(), 'events'],
		productDevice: () => ['products', product(), 'devices', device(), 'events'],
		organization: () => ['orgs', segment(target.organization ?? '', 'Organization'), 'events'],
	};
	return '/' + ['v1', ...parts[target.scope](), ...prefix].join('/');
}

/** The item's `product`, as the polling trigger sets it: the product asked for, none for the sandbox. */
function productOfEvents(target: StreamTarget): ProductOfEvent {
	if (target.scope === 'organization') return { kind: 'fromEvent' };
	return { kind: 'fixed', product: target.product ?? null };
}

function observedDevice(device: IDataObject): ObservedDevice {
	return {
		id: String(device.id),
		name: typeof device.name === 'string' ? device.name : null,
		online: device.online === true || device.connected === true,
		lastHeard: typeof device.last_heard === 'string' ? device.last_heard : null,
		platformId: typeof device.platform_id === 'number' ? device.platform_id : null,
	};
}

/**
 * The target's devices, read once at activation for their names and online state: one call for the sandbox or one
 * device, ceil(N / 100) for a product. Particle has no organization device list, so there names stay empty. A
 * failure only costs the names: the stream works without them.
 */
async function readDevices(this: ITriggerFunctions, target: StreamTarget): Promise<ObservedDevice[] | undefined> {
	const sandbox: DeviceScope = { kind: 'sandbox' };
	const product: DeviceScope = { kind: 'product', product: target.product ?? '' };
	const client = particleClient(this);
	const one = async (scope: DeviceScope) => [observedDevice(await client.get<IDataObject>(devicePath(scope, target.deviceId ?? '')))];
	try {
		switch (target.scope) {
			case 'mine':
				return expectList(this, await client.get<unknown>(devicesPath(sandbox)), 'device list').map(observedDevice);
			case 'device':
				return await one(sandbox);
			case 'product':
				return (await client.listAll<IDataObject>(devicesPath(product), { itemsKey: 'devices' })).map(observedDevice);
			case 'productDevice':
				return await one(product);
			case 'organization':
				return undefined;
		}
	} catch (error) {
		this.logger.warn(`Particle Event Trigger could not read the devices (${(error as Error).message}); items of devices not yet heard from carry no name`);
		return undefined;
	}
}
