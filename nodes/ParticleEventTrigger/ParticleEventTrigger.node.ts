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
						typeOptions: { minValue: 2, maxValue: 300 },
						default: IDLE_TIMEOUT_MS / 1000,
						description:
							'Particle sends a keep-alive every few seconds; a stream silent this long is dead and is reopened',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchDevices, searchProducts } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const path = streamPath.call(this);
		const eventName = String(this.getNodeParameter('eventName', '')).trim();
		const options = this.getNodeParameter('options', {}) as {
			exactName?: boolean;
			includeSystemEvents?: boolean;
			parseJson?: boolean;
			silenceTimeout?: number;
		};
		const wanted = (event: ParticleEvent): boolean =>
			(!options.exactName || eventName === '' || event.name === eventName) &&
			(options.includeSystemEvents === true || eventName.startsWith('spark/') || !event.name.startsWith('spark/'));

		const stream = new ParticleEventStream(this, {
			path,
			parseJson: options.parseJson !== false,
			idleTimeoutMs: Math.max(2, Number(options.silenceTimeout ?? IDLE_TIMEOUT_MS / 1000)) * 1000,
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

/** The stream route for the chosen scope and event-name prefix, every value one encoded segment. */
function streamPath(this: ITriggerFunctions): string {
	const scope = this.getNodeParameter('scope', 'mine') as StreamScope;
	const eventName = String(this.getNodeParameter('eventName', '')).trim();
	const invalid = (message: string | undefined) => {
		if (message) throw new NodeOperationError(this.getNode(), message);
	};
	if (eventName !== '') invalid(checkName(eventName, 'Event name')?.message);
	const prefix = eventName === '' ? [] : [segment(eventName, 'Event name')];

	const product = () => {
		const value = String(this.getNodeParameter('product', '', { extractValue: true })).trim();
		invalid(checkProductIdOrSlug(value)?.message);
		return segment(value, 'Product');
	};
	const device = () => {
		const value = String(this.getNodeParameter('deviceId', '')).trim().toLowerCase();
		invalid(checkDeviceId(value)?.message);
		return segment(value, 'Device');
	};
	const parts: Record<StreamScope, () => string[]> = {
		mine: () => ['devices', 'events'],
		device: () => ['devices', device(), 'events'],
		product: () => ['products', product(), 'events'],
		productDevice: () => ['products', product(), 'devices', device(), 'events'],
		organization: () => ['orgs', segment(String(this.getNodeParameter('organization', '')), 'Organization'), 'events'],
	};
	return '/' + ['v1', ...parts[scope](), ...prefix].join('/');
}
