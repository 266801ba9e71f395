import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkMaxBytes, checkName, EVENT_DATA_MAX_BYTES } from '../../../shared/limits';
import { productPath, v1Path } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceScopeField, productField, readDeviceScope, throwIfInvalid } from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['event'], operation: ['publish'] };

export const description: INodeProperties[] = [
	{ ...deviceScopeField(show), displayName: 'Publish To', description: 'Whose event stream receives the event' },
	productField({ ...show, deviceScope: ['product'] }),
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. lights/on',
		description: 'Devices subscribed to this name (or a prefix of it) receive the event and may act on it',
		displayOptions: { show },
	},
	{
		displayName: 'Data',
		name: 'data',
		type: 'string',
		default: '',
		description: `Text sent with the event, at most ${EVENT_DATA_MAX_BYTES} bytes`,
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Private',
				name: 'private',
				type: 'boolean',
				default: true,
				description: 'Whether only the owner\'s devices and streams see the event (public events are a legacy feature)',
			},
			{
				displayName: 'TTL (Seconds)',
				name: 'ttl',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description: 'How long the event is meant to stay relevant; Particle accepts it but currently ignores it',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const name = String(this.getNodeParameter('eventName', itemIndex, '', { ensureType: 'string' })).trim();
	const data = String(this.getNodeParameter('data', itemIndex, '', { ensureType: 'string' }));
	const options = this.getNodeParameter('options', itemIndex, {}) as { private?: boolean; ttl?: number };
	throwIfInvalid(this, checkName(name, 'Event name'), itemIndex);
	throwIfInvalid(this, checkMaxBytes(data, 'Data', EVENT_DATA_MAX_BYTES), itemIndex);

	const body: IDataObject = { name, data, private: options.private ?? true };
	if (options.ttl !== undefined) body.ttl = options.ttl;
	// Never sent twice after a 5xx or a reset: subscribers may already have acted on it.
	const response = await request<IDataObject>(this, {
		method: 'POST',
		path: scope.kind === 'product' ? productPath(scope.product, 'events') : v1Path('devices', 'events'),
		body,
		itemIndex,
		gate,
	});
	return { ...response, name, data, private: body.private as boolean };
}
