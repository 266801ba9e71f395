/**
 * The Event Trigger's "Device Status and Vitals" fields and their readers. Field names and values are the polling
 * trigger's (`events`, `thresholdField`, `thresholdPath`, `thresholdOperator`, `thresholdValue`), so a workflow that
 * switches between the two triggers keeps what its settings mean.
 */
import type { INodeProperties, INodePropertyOptions, ITriggerFunctions } from 'n8n-workflow';

import type { WatchOptions } from '../ParticleTrigger/fleetChanges';
import { readThreshold, readWatchedEvents, thresholdProperties } from '../ParticleTrigger/watchParameters';

export const STATUS_MODE = 'deviceStatus';
export const PUBLISHED_MODE = 'publishedEvents';

const inStatusMode = { triggerOn: [STATUS_MODE] };

/** The status mode's Events: the polling trigger's values, each told as it comes from Particle's own events. */
export const STATUS_EVENT_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Device Came Online', value: 'deviceCameOnline', description: 'Particle started a session with the device (spark/status online)' },
	{ name: 'Device Went Offline', value: 'deviceWentOffline', description: 'Particle ended the device\'s session (spark/status offline)' },
	{
		name: 'Vitals Crossed a Threshold',
		value: 'vitalsThreshold',
		description: 'Once when a vitals field crosses the value, not on every report while it stays there',
	},
	{
		name: 'Vitals Updated',
		value: 'vitalsUpdated',
		description: 'A device sent vitals: when it connects, on Particle.publishVitals() in its firmware, or on a refresh',
	},
];

export const statusProperties: INodeProperties[] = [
	{
		displayName:
			'Particle sends "offline" when it ends a session: at once for a clean disconnect, but about twice the keep-alive after power is lost (about 50 seconds for Wi-Fi, 46 minutes for cellular), and, when it missed a device going away, just before the next "online". Changes while the workflow is inactive are not reported; the Particle Trigger (polling) catches them.',
		name: 'statusLatencyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: inStatusMode },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['deviceWentOffline'],
		options: STATUS_EVENT_OPTIONS,
		displayOptions: { show: inStatusMode },
	},
	...thresholdProperties({ ...inStatusMode, events: ['vitalsThreshold'] }),
];

/*
 * Every value may come from an expression: each is checked during activation and refused with an error that names its
 * field, as the polling trigger does.
 */

/** What to watch, read once during activation (n8n evaluates expressions only then). */
export function readStatusWatch(context: ITriggerFunctions): WatchOptions {
	const events = readWatchedEvents(context);
	return { events, threshold: events.includes('vitalsThreshold') ? readThreshold(context) : undefined };
}
