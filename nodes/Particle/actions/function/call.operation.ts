import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkMaxBytes, checkName, FUNCTION_ARGUMENT_MAX_BYTES } from '../../../shared/limits';
import { devicePath, segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { deviceTargetFields, readDevice, readDeviceScope, throwIfInvalid } from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['function'], operation: ['call'] };

export const description: INodeProperties[] = [
	...deviceTargetFields(show),
	{
		displayName: 'Function Name',
		name: 'functionName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. setColor',
		description: 'The name the firmware registered with Particle.function()',
		displayOptions: { show },
	},
	{
		displayName: 'Argument',
		name: 'argument',
		type: 'string',
		default: '',
		placeholder: 'e.g. 255,0,0',
		description: `The text passed to the function, at most ${FUNCTION_ARGUMENT_MAX_BYTES} bytes (devices on Device OS before 3.0 accept 622)`,
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
				displayName: 'Body Encoding',
				name: 'bodyEncoding',
				type: 'options',
				default: 'json',
				description: 'How the argument is sent; Particle accepts both',
				options: [
					{ name: 'Form (arg=...)', value: 'form' },
					{ name: 'JSON', value: 'json' },
				],
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
	const functionName = String(this.getNodeParameter('functionName', itemIndex, '', { ensureType: 'string' })).trim();
	const argument = String(this.getNodeParameter('argument', itemIndex, '', { ensureType: 'string' }));
	const { bodyEncoding = 'json' } = this.getNodeParameter('options', itemIndex, {}) as { bodyEncoding?: 'json' | 'form' };
	throwIfInvalid(this, checkName(functionName, 'Function name'), itemIndex);
	throwIfInvalid(this, checkMaxBytes(argument, 'Argument', FUNCTION_ARGUMENT_MAX_BYTES), itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);

	// The transport never sends a POST twice after a 5xx, a 408 or a reset: the device may already have acted.
	const response = await request<IDataObject>(this, {
		method: 'POST',
		path: devicePath(scope, device, segment(functionName, 'Function name')),
		...(bodyEncoding === 'form' ? { form: { arg: argument } } : { body: { arg: argument } }),
		itemIndex,
		gate,
	});
	return { ...response, functionName, argument };
}
