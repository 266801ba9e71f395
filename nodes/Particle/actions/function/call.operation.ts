import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { checkDeviceDependentSize, FUNCTION_ARGUMENT_LIMIT } from '../../../shared/limits';
import { addHintOnce, deviceMemberField, deviceTargetFields, optionsCollection, requestFromDevice, throwIfInvalid } from '../common';
import { readDeviceMember } from '../deviceMember';
import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';

export const description = fieldsFor('function', 'call', [
	...deviceTargetFields(),
	deviceMemberField({
		displayName: 'Function',
		name: 'functionName',
		searchListMethod: 'searchFunctions',
		placeholder: 'e.g. setColor',
		description: 'A function the firmware registered with Particle.function(); the list shows the chosen device\'s',
	}),
	{
		displayName: 'Argument',
		name: 'argument',
		type: 'string',
		default: '',
		placeholder: 'e.g. 255,0,0',
		description: `The text passed to the function. Up to ${FUNCTION_ARGUMENT_LIMIT.largest} bytes on Gen 3 and P2 devices with Device OS 3.0 or later, 864 on Gen 2 devices, ${FUNCTION_ARGUMENT_LIMIT.everyDevice} before Device OS 3.0; longer than ${FUNCTION_ARGUMENT_LIMIT.largest} is refused before sending.`,
	},
	optionsCollection('function', 'call', [
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
]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const argument = String(this.getNodeParameter('argument', itemIndex, '', { ensureType: 'string' }));
	const { bodyEncoding = 'json' } = this.getNodeParameter('options', itemIndex, {}) as { bodyEncoding?: 'json' | 'form' };
	const size = checkDeviceDependentSize(argument, FUNCTION_ARGUMENT_LIMIT);
	throwIfInvalid(this, size.violation, itemIndex);
	const target = await readDeviceMember.call(this, itemIndex, client, 'functionName', 'Function name');
	if (size.notice !== undefined) addHintOnce.call(this, size.notice);

	// The transport never sends a POST twice after a 5xx, a 408 or a reset: the device may already have acted.
	const response = await requestFromDevice<IDataObject>(this, client, target, {
		method: 'POST',
		path: target.path,
		...(bodyEncoding === 'form' ? { form: { arg: argument } } : { body: { arg: argument } }),
	});
	return { ...response, functionName: target.name, argument };
}
