/**
 * "Fetch Test Event" in the editor: real devices from the cloud, shaped as the real change items of each selected
 * event (one item per event), marked `sample: true` with a `_sample` note (what a poll of this fleet costs), so fields
 * can be mapped before anything changes: a went-offline sample is an offline device (online false, previously online),
 * a threshold sample a reading past the threshold when one of the devices read has one. The saved state is not read or
 * touched. Costs one list request and, for vitals events, one to three vitals reads.
 */
import type { IPollFunctions } from 'n8n-workflow';

import type { DeviceScope } from '../shared/paths';
import type { RateLimitGate } from '../shared/transport';
import {
	crosses,
	isWatchingVitals,
	judgeOnline,
	onlineChangeItem,
	thresholdItem,
	vitalsUpdatedItem,
	type ChangeContext,
	type FleetChangeItem,
	type ObservedDevice,
	type ObservedVitals,
	type WatchOptions,
} from './fleetChanges';
import { listFleet, type FleetFilters } from './fleetListing';
import { describeCost } from './pollBudget';
import { readLastVitals } from './vitalsReads';

/** Devices looked at for a sample: one page. */
const SAMPLE_DEVICES = 25;
/** Devices asked for vitals before giving up (a device may have sent none). */
const VITALS_TRIES = 3;

/** The trigger's Poll Times and Request Budget: the note on each sample says what a poll of this fleet costs. */
export interface SampleCost {
	pollsInFiveMinutes: number;
	budget: number;
}

export async function sampleItems(
	this: IPollFunctions,
	scope: DeviceScope,
	options: WatchOptions,
	filters: FleetFilters,
	gate: RateLimitGate,
	cost: SampleCost,
): Promise<FleetChangeItem[]> {
	const { devices, total } = await listFleet.call(this, scope, filters, gate, SAMPLE_DEVICES);
	if (devices.length === 0) return [];
	const now = Date.now();
	const product = scope.kind === 'product' ? scope.product : null;
	const isOnline = (device: ObservedDevice) => judgeOnline(device, now, options.offlineAfterMinutes);
	const context = (device: ObservedDevice, online: boolean, previouslyOnline: boolean): ChangeContext => ({ device, product, online, previouslyOnline });

	type Reading = { device: ObservedDevice; vitals: ObservedVitals };
	let readings: Reading[] | undefined;
	// Online devices first: they are the ones that report. With a threshold, a reading past it is looked for, so the
	// sample shows a crossing as a real one would.
	const readSomeVitals = async (): Promise<Reading[]> => {
		const found: Reading[] = [];
		const candidates = [...devices.filter(isOnline), ...devices.filter((device) => !isOnline(device))].slice(0, VITALS_TRIES);
		for (const device of candidates) {
			const vitals = (await readLastVitals.call(this, scope, [device.id], gate)).vitals.get(device.id);
			if (vitals) found.push({ device, vitals });
			if (vitals && (!options.threshold || crosses(vitals.values[options.threshold.path], options.threshold))) break;
		}
		return found.length > 0 ? found : [{ device: devices[0], vitals: { updatedAt: null, values: {} } }];
	};

	const items: FleetChangeItem[] = [];
	for (const event of options.events) {
		if (event === 'deviceWentOffline') {
			items.push(onlineChangeItem(event, context(devices.find((device) => !isOnline(device)) ?? devices[0], false, true)));
		} else if (event === 'deviceCameOnline') {
			items.push(onlineChangeItem(event, context(devices.find(isOnline) ?? devices[0], true, false)));
		} else {
			readings ??= await readSomeVitals();
			const rule = options.threshold;
			const reading = (rule && readings.find(({ vitals }) => crosses(vitals.values[rule.path], rule))) || readings[0];
			const online = isOnline(reading.device);
			if (event === 'vitalsUpdated') items.push(vitalsUpdatedItem(context(reading.device, online, online), reading.vitals));
			// A real crossing has a reading before it on the other side; a sample has none (null), as a first one would.
			else if (rule) items.push(thresholdItem(context(reading.device, online, online), reading.vitals, rule, null));
		}
	}
	// The one place the editor shows both the fleet size and the poll interval: say what a poll costs.
	const { text, warning } = describeCost(total, scope.kind === 'product', isWatchingVitals(options), cost.pollsInFiveMinutes, cost.budget);
	const note = `A real device, not a real change. ${warning ? 'Warning: too many requests. ' : ''}${text}`;
	return items.map((item) => ({ ...item, sample: true, _sample: note }));
}
