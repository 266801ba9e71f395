import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { checkDeviceDependentSize, checkName, FUNCTION_ARGUMENT_LIMIT } from '../../../shared/limits';
import { devicePath, segment } from '../../../shared/paths';
import {
	addHintOnce,
	deviceMemberField,
	deviceTargetFields,
	optionsCollection,
	readDevice,
	readDeviceScope,
	readMemberName,
	requestFromDevice,
	throwIfInvalid,
} from '../common';
import type { OperationContext, OperationResult } from '../types';

const show = { resource: ['function'], operation: ['call'] };

export const description: INodeProperties[] = [
	...deviceTargetFields(show),
	deviceMemberField(
		{
			displayName: 'Function',
			name: 'functionName',
			searchListMethod: 'searchFunctions',
			placeholder: 'e.g. setColor',
			description: 'A function the firmware registered with Particle.function(); the list shows the chosen device\'s',
		},
		show,
	),
	{
		displayName: 'Argument',
		name: 'argument',
		type: 'string',
		default: '',
		placeholder: 'e.g. 255,0,0',
		description: `The text passed to the function. Up to ${FUNCTION_ARGUMENT_LIMIT.largest} bytes on Gen 3 and P2 devices with Device OS 3.0 or later, 864 on Gen 2 devices, ${FUNCTION_ARGUMENT_LIMIT.everyDevice} before Device OS 3.0; longer than ${FUNCTION_ARGUMENT_LIMIT.largest} is refused before sending.`,
		displayOptions: { show },
	},
	optionsCollection(show, [
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
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const scope = readDeviceScope.call(this, itemIndex);
	const functionName = readMemberName.call(this, 'functionName', itemIndex);
	const argument = String(this.getNodeParameter('argument', itemIndex, '', { ensureType: 'string' }));
	const { bodyEncoding = 'json' } = this.getNodeParameter('options', itemIndex, {}) as { bodyEncoding?: 'json' | 'form' };
	throwIfInvalid(this, checkName(functionName, 'Function name'), itemIndex);
	const size = checkDeviceDependentSize(argument, FUNCTION_ARGUMENT_LIMIT);
	throwIfInvalid(this, size.violation, itemIndex);
	const device = await readDevice.call(this, itemIndex, scope, gate);
	if (size.notice !== undefined) addHintOnce.call(this, size.notice);

	// The transport never sends a POST twice after a 5xx, a 408 or a reset: the device may already have acted.
	const response = await requestFromDevice<IDataObject>(
		this,
		{
			method: 'POST',
			path: devicePath(scope, device, segment(functionName, 'Function name')),
			...(bodyEncoding === 'form' ? { form: { arg: argument } } : { body: { arg: argument } }),
			itemIndex,
			gate,
		},
		{ scope, device },
	);
	return { ...response, functionName, argument };
}
