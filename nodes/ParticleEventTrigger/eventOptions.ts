/** Options of the triggers that emit Particle events (the Event Trigger and the Webhook Trigger), defined once. */
import type { INodeProperties } from 'n8n-workflow';

export const EXACT_NAME_OPTION: INodeProperties = {
	displayName: 'Exact Name Only',
	name: 'exactName',
	type: 'boolean',
	default: false,
	description: 'Whether to drop events whose name only starts with the event name (temperature for temp)',
};

export const PARSE_JSON_OPTION: INodeProperties = {
	displayName: 'Parse Data as JSON',
	name: 'parseJson',
	type: 'boolean',
	default: true,
	description: 'Whether to turn event data that is JSON into an object (other data stays text)',
};
