import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeType,
	type INodeTypeDescription,
	type ITriggerFunctions,
	type ITriggerResponse,
} from 'n8n-workflow';

import { productField } from '../Particle/actions/common';
import { searchDevices, searchProducts } from '../Particle/methods/listSearch';
import { IDLE_TIMEOUT_MS, ParticleEventStream, type ParticleEvent } from '../shared/eventStream';
import { checkDeviceId, checkName, checkProductIdOrSlug } from '../shared/limits';
import { segment } from '../shared/paths';

type StreamScope = 'mine' | 'device' | 'product' | 'productDevice' | 'organization';

const show = (...scopes: StreamScope[]) => ({ show: { scope: scopes } });

export class ParticleEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Particle Event Trigger',
		name: 'particleEventTrigger',
		icon: { light: 'file:../../icons/particle.svg', dark: 'file:../../icons/particle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["eventName"] || "all events" }}',
		description: 'Starts the workflow for every event Particle devices publish, as it happens',
		defaults: { name: 'Particle Event Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		properties: [
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
			{
				displayName: 'Organization',
				name: 'organization',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. acme-iot',
				description: 'The organization ID or slug',
				displayOptions: show('organization'),
			},
			{
				displayName: 'Device ID',
				name: 'deviceId',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. 0123456789abcdef01234567',
				displayOptions: show('device', 'productDevice'),
			},
			{
				displayName: 'Event Name',
				name: 'eventName',
				type: 'string',
				default: '',
				placeholder: 'e.g. temperature',
				description:
					'Particle sends every event whose name starts with this text (temp matches temperature too); empty for all events',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Exact Name Only',
						name: 'exactName',
						type: 'boolean',
						default: false,
						description: 'Whether to drop events whose name only starts with the event name (temperature for temp)',
					},
					{
						displayName: 'Include System Events',
						name: 'includeSystemEvents',
						type: 'boolean',
						default: false,
						description: 'Whether to include Particle\'s own events (spark/status, spark/device/diagnostics/update...)',
					},
					{
						displayName: 'Parse Data as JSON',
						name: 'parseJson',
						type: 'boolean',
						default: true,
						description: 'Whether to turn event data that is JSON into an object (other data stays text)',
					},
					{
						displayName: 'Reopen When Silent For (Seconds)',
						name: 'silenceTimeout',
						type: 'number',
						typeOptions: { minValue: 15, maxValue: 300 },
						default: IDLE_TIMEOUT_MS / 1000,
						description:
							'Particle sends a keep-alive at least every 12 seconds or so; a stream silent this long (an unanswered open included) is dead and is reopened. Less than 15 would reopen healthy streams and lose events.',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchDevices, searchProducts } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		// Every parameter is read here, during activation: n8n evaluates expressions only while an activation runs.
		const path = streamPath.call(this);
		const eventName = textParameter.call(this, 'eventName');
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

const FIELD_NAMES = { eventName: 'Event Name', deviceId: 'Device ID', organization: 'Organization', product: 'Product' };

/** A text parameter as text even when an expression made it a number; an object or a list is refused. */
function textParameter(this: ITriggerFunctions, name: keyof typeof FIELD_NAMES): string {
	const value = this.getNodeParameter(name, '', { extractValue: true }) as unknown;
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (value === undefined || value === null) return '';
	throw new NodeOperationError(this.getNode(), `${FIELD_NAMES[name]} must be text, not ${describeValue(value)}`);
}

/** The stream route for the chosen scope and event-name prefix, every value one encoded segment. */
function streamPath(this: ITriggerFunctions): string {
	const scope = this.getNodeParameter('scope', 'mine') as StreamScope;
	const eventName = textParameter.call(this, 'eventName');
	const invalid = (message: string | undefined) => {
		if (message) throw new NodeOperationError(this.getNode(), message);
	};
	if (eventName !== '') invalid(checkName(eventName, 'Event name')?.message);
	const prefix = eventName === '' ? [] : [segment(eventName, 'Event name')];

	const product = () => {
		const value = textParameter.call(this, 'product');
		invalid(checkProductIdOrSlug(value)?.message);
		return segment(value, 'Product');
	};
	const device = () => {
		const value = textParameter.call(this, 'deviceId').toLowerCase();
		invalid(checkDeviceId(value)?.message);
		return segment(value, 'Device');
	};
	const parts: Record<StreamScope, () => string[]> = {
		mine: () => ['devices', 'events'],
		device: () => ['devices', device(), 'events'],
		product: () => ['products', product(), 'events'],
		productDevice: () => ['products', product(), 'devices', device(), 'events'],
		organization: () => ['orgs', segment(textParameter.call(this, 'organization'), 'Organization'), 'events'],
	};
	return '/' + ['v1', ...parts[scope](), ...prefix].join('/');
}
