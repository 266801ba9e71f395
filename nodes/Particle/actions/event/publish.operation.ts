import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkDeviceDependentSize, checkName, EVENT_DATA_LIMIT } from '../../../shared/limits';
import { productPath, v1Path } from '../../../shared/paths';
import { addHintOnce, deviceScopeField, optionsCollection, productField, readDeviceScope, throwIfInvalid } from '../common';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('event', 'publish', [
	{ ...deviceScopeField(), displayName: 'Publish To', description: 'Whose event stream receives the event' },
	productField({ deviceScope: ['product'] }),
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. lights/on',
		description: 'Devices subscribed to this name (or a prefix of it) receive the event and may act on it',
	},
	{
		displayName: 'Data',
		name: 'data',
		type: 'string',
		default: '',
		description: `Text sent with the event. Devices on Device OS 6.3.0 or later that use the CloudEvent API take up to ${EVENT_DATA_LIMIT.largest} bytes, other Gen 3 and P2 devices on 3.0 or later 1024, Gen 2 devices 864, Device OS before 3.0 ${EVENT_DATA_LIMIT.everyDevice}; longer than ${EVENT_DATA_LIMIT.largest} is refused before sending.`,
	},
	optionsCollection('event', 'publish', [
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
	]),
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const name = String(this.getNodeParameter('eventName', itemIndex, '', { ensureType: 'string' })).trim();
	const data = String(this.getNodeParameter('data', itemIndex, '', { ensureType: 'string' }));
	const options = this.getNodeParameter('options', itemIndex, {}) as { private?: boolean; ttl?: number };
	throwIfInvalid(this, checkName(name, 'Event name'), itemIndex);
	const size = checkDeviceDependentSize(data, EVENT_DATA_LIMIT);
	throwIfInvalid(this, size.violation, itemIndex);
	if (size.notice !== undefined) addHintOnce.call(this, size.notice);

	const body: IDataObject = { name, data, private: options.private ?? true };
	if (options.ttl !== undefined) body.ttl = options.ttl;
	// Never sent twice after a 5xx or a reset: subscribers may already have acted on it.
	const path = scope.kind === 'product' ? productPath(scope.product, 'events') : v1Path('devices', 'events');
	const response = await client.send<IDataObject>('POST', path, { body });
	return { ...response, name, data, private: body.private as boolean };
}
