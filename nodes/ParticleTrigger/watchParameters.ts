/**
 * What a fleet trigger watches (events and the threshold rule), read and checked the same way by the polling trigger
 * and the Event Trigger's device status mode, so the two refuse the same bad values with the same words.
 */
import type { IDisplayOptions, INode, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { throwIfInvalid } from '../Particle/actions/common';
import { checkNotEmpty, checkNumber, checkOneOf, checkText, checkTextList, textListOf, textOf, toNumber, type NumberRule } from '../shared/limits';
import type { FleetEvent, ThresholdRule } from './fleetChanges';

/** The part of a poll or trigger context these readers use. */
export interface ParameterReader {
	getNode(): INode;
	getNodeParameter(name: string, fallbackValue?: unknown): unknown;
}

const VITALS_FIELDS = [
	{ name: 'Battery Charge (%)', value: 'device.power.battery.charge' },
	{ name: 'Cloud Disconnects', value: 'device.cloud.connection.disconnects' },
	{ name: 'Memory Used (Bytes)', value: 'device.system.memory.used' },
	{ name: 'Round Trip Time (Milliseconds)', value: 'device.cloud.coap.round_trip' },
	{ name: 'Signal Quality (%)', value: 'device.network.signal.quality' },
	{ name: 'Signal Strength (%)', value: 'device.network.signal.strength' },
	{ name: 'Signal Strength (dBm)', value: 'device.network.signal.strengthv' },
	{ name: 'Other (Enter a Path)', value: 'custom' },
];

/** The threshold rule's fields, shown when `show` holds (the threshold event is watched). */
export function thresholdProperties(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{
			displayName: 'Vitals Field',
			name: 'thresholdField',
			type: 'options',
			default: 'device.power.battery.charge',
			options: VITALS_FIELDS,
			displayOptions: { show },
		},
		{
			displayName: 'Vitals Path',
			name: 'thresholdPath',
			type: 'string',
			default: '',
			placeholder: 'e.g. device.system.uptime',
			description: 'Dotted path of a numeric field in the vitals payload',
			displayOptions: { show: { ...show, thresholdField: ['custom'] } },
		},
		{
			displayName: 'Fire When the Value Is',
			name: 'thresholdOperator',
			type: 'options',
			default: 'below',
			options: [
				{ name: 'Above', value: 'above' },
				{ name: 'Below', value: 'below' },
			],
			displayOptions: { show },
		},
		{
			displayName: 'Threshold',
			name: 'thresholdValue',
			type: 'number',
			default: 20,
			displayOptions: { show },
		},
	];
}

export const FLEET_EVENTS: FleetEvent[] = ['deviceWentOffline', 'deviceCameOnline', 'vitalsThreshold', 'vitalsUpdated'];
const OPERATORS: Array<ThresholdRule['operator']> = ['above', 'below'];

export function checkedText(context: ParameterReader, value: unknown, field: string, accepted?: string): string {
	throwIfInvalid(context, checkText(value, field, accepted));
	return (textOf(value) ?? '').trim();
}

export function checkedNumber(context: ParameterReader, value: unknown, field: string, rule?: NumberRule): number {
	throwIfInvalid(context, checkNumber(value, field, rule));
	return toNumber(value);
}

/** "Events": a list of known event names (one name from an expression is a list of one). */
export function readWatchedEvents(context: ParameterReader): FleetEvent[] {
	const value = context.getNodeParameter('events', []);
	throwIfInvalid(context, checkTextList(value, 'Events', 'a list of event names'));
	const events = textListOf(value) ?? [];
	for (const event of events) throwIfInvalid(context, checkOneOf(event, 'Events', FLEET_EVENTS));
	return events as FleetEvent[];
}

/** The threshold rule: a vitals path (a listed field or a custom one), above or below, a number. */
export function readThreshold(context: ParameterReader): ThresholdRule {
	const field = checkedText(context, context.getNodeParameter('thresholdField', 'device.power.battery.charge'), 'Vitals Field', 'a vitals path');
	const path = field === 'custom' ? checkedText(context, context.getNodeParameter('thresholdPath', ''), 'Vitals Path') : field;
	throwIfInvalid(context, checkNotEmpty(path, field === 'custom' ? 'Vitals Path' : 'Vitals Field'));
	const operator = context.getNodeParameter('thresholdOperator', 'below');
	throwIfInvalid(context, checkOneOf(operator, 'Fire When the Value Is', OPERATORS));
	return { path, operator: operator as ThresholdRule['operator'], value: checkedNumber(context, context.getNodeParameter('thresholdValue', 20), 'Threshold') };
}

/**
 * An expression (without "={{ }}") naming the chosen Events as the list shows them ("Device Went Offline"), for a
 * canvas subtitle: n8n would show the stored values ("deviceWentOffline"). One flat object literal, so no "}}" ends
 * the expression early; an unknown value (from an expression) shows as it is.
 */
export function eventNamesExpression(options: INodePropertyOptions[]): string {
	const names = Object.fromEntries(options.map((option) => [String(option.value), option.name]));
	return `[].concat($parameter["events"] || []).map((event) => (${JSON.stringify(names)})[event] || event).join(", ")`;
}
