/**
 * What the Particle Cloud answered, checked before it is used: a 200 answer that is not the list an operation
 * expects (an object, text, a list of numbers) becomes a clear n8n error instead of "x.map is not a function".
 */
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeValue } from './limits';

/** Any n8n context (execute, poll, load options): only its node is needed to build the error. */
interface HasNode {
	getNode(): INode;
}

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` as a list of objects, or a NodeApiError "Particle answered without a <what>" that says what came instead.
 * `what` names the list as a user would, e.g. "device list".
 */
export function expectList<T extends IDataObject = IDataObject>(
	context: HasNode,
	value: unknown,
	what: string,
	itemIndex?: number,
): T[] {
	if (Array.isArray(value) && value.every(isRecord)) return value as T[];
	const found = Array.isArray(value)
		? `a list holding ${describeValue(value.find((entry) => !isRecord(entry)))}`
		: describeValue(value);
	const message = `Particle answered without a ${what}`;
	const description = `The answer (HTTP 200) held ${found} where a list was expected. Check that the Base URL of the Particle API credential points at the Particle Cloud, then try again.`;
	const errorResponse: JsonObject = { status: 200, message };
	throw new NodeApiError(context.getNode(), errorResponse, { message, description, httpCode: '200', itemIndex });
}

/** The list under `key` of an answer object (`{ devices: [...] }`), checked as `expectList` does. */
export function expectListIn<T extends IDataObject = IDataObject>(
	context: HasNode,
	response: unknown,
	key: string,
	what: string,
	itemIndex?: number,
): T[] {
	return expectList<T>(context, isRecord(response) ? response[key] : undefined, what, itemIndex);
}
