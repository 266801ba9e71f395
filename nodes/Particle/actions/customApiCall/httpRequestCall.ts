/**
 * n8n's own "Custom API Call", the one Custom API Call of this node.
 *
 * n8n's loader adds `{ name: 'Custom API Call', value: '__CUSTOM_API_CALL__' }` to the end of every `resource` and
 * `operation` list of a node whose credential has `authenticate` (ours must: see DESIGN.md), unless the list already
 * ends with an option of that name. The editor then hides the other fields and says to use the HTTP Request node with
 * this credential. The option is added here instead, in the same form, with an `action`: without one n8n names the
 * node "__CUSTOM_API_CALL__ device" (its name is built from the action, else from the raw values).
 *
 * The node's own resource of the first releases (`customApiCall`, operation `send`) stays for the workflows that use
 * it: still run by the router, offered in the Resource list only to a node that has it selected.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The value n8n gives its Custom API Call option (n8n's CUSTOM_API_CALL_KEY) and the name it checks for. */
export const CUSTOM_API_CALL_KEY = '__CUSTOM_API_CALL__';
export const CUSTOM_API_CALL_NAME = 'Custom API Call';

const httpRequestOption: INodePropertyOptions = {
	name: CUSTOM_API_CALL_NAME,
	value: CUSTOM_API_CALL_KEY,
	description: 'Any Particle API request, from the HTTP Request node with the Particle API credential',
	action: 'Make a custom API call',
};

const isOptionList = (property: INodeProperties): boolean =>
	(property.name === 'resource' || property.name === 'operation') && property.type === 'options' && Array.isArray(property.options);

/** The properties with n8n's Custom API Call at the end of the Resource list and of every Operation list, once. */
export function withHttpRequestCall(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => {
		if (!isOptionList(property)) return property;
		const options = property.options as INodePropertyOptions[];
		if (options.some((option) => option.value === CUSTOM_API_CALL_KEY)) return property;
		return { ...property, options: [...options, httpRequestOption] };
	});
}

/** Whether a run asks for n8n's Custom API Call, which this node does not send: the HTTP Request node does. */
export function isHttpRequestCall(resource: unknown, operation: unknown): boolean {
	return resource === CUSTOM_API_CALL_KEY || operation === CUSTOM_API_CALL_KEY;
}
