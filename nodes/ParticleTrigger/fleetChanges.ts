/**
 * What changed in a fleet between two polls. Pure: (previous state, what this poll read, options) -> change items and
 * the next state. The state is plain JSON (see fleetState.ts), so it lives in the node's static data.
 *
 * The item builders (`onlineChangeItem`, `vitalsUpdatedItem`, `thresholdItem`) are the one place a change item is
 * shaped, for the polling trigger, its samples, and any other mode that reports the same changes.
 */
import { platformName } from '../shared/platforms';
import {
	decodeEntry,
	encodeEntry,
	sameEntry,
	stamp,
	type DeviceEntry,
	type DeviceState,
	type EntryShape,
	type FleetState,
	type VitalsValue,
} from './fleetState';

export type { DeviceEntry, DeviceState, FleetState, VitalsValue } from './fleetState';

export type FleetEvent = 'deviceWentOffline' | 'deviceCameOnline' | 'vitalsUpdated' | 'vitalsThreshold';
export type ThresholdOperator = 'below' | 'above';

export interface ThresholdRule {
	/** Dotted vitals path, e.g. `device.power.battery.charge`. */
	path: string;
	operator: ThresholdOperator;
	value: number;
}

export interface WatchOptions {
	events: FleetEvent[];
	/** Judge a device offline when not heard from for this many minutes, before the cloud says so. */
	offlineAfterMinutes?: number;
	threshold?: ThresholdRule;
	/** On the first poll, report devices already offline (and thresholds already crossed) instead of staying quiet. */
	reportOnBaseline?: boolean;
	/** Read a device's vitals at most this often unless it started a new session (0 or unset: whenever heard from). */
	vitalsRecheckMinutes?: number;
}

export interface ObservedDevice {
	id: string;
	name: string | null;
	online: boolean;
	lastHeard: string | null;
	/** Start of the device's current cloud session; devices send vitals at every session start. */
	lastHandshakeAt?: string | null;
	/** Particle's `platform_id` (6 for a Photon), when the source said. */
	platformId?: number | null;
}

export interface ObservedVitals {
	updatedAt: string | null;
	/** The vitals payload as flattened dotted paths. */
	values: Record<string, VitalsValue>;
}

/**
 * One change, as the trigger emits it (the same shape from every mode that reports fleet changes).
 * - every event: `event`, `deviceId`, `deviceName`, `product`, `online`, `previouslyOnline` (null: not known
 *   before), `lastHeard`, `platformId` and `platform` (its name, see shared/platforms.ts);
 * - vitals events: `vitalsUpdatedAt` and `vitals`, every field of the vitals reported (current values: previous
 *   values are not kept, see fleetState.ts);
 * - Vitals Crossed a Threshold: `value` (the field now), `threshold` (the rule: path, operator, value) and
 *   `changes: { <path>: { previous, current } }` (previous: the last reading, null when none);
 * - `sample: true` and `_sample` (a note: a real device, not a real change, and what a poll costs) only on "Fetch Test
 *   Event" items.
 */
export interface FleetChangeItem {
	event: FleetEvent;
	deviceId: string;
	deviceName: string | null;
	product: string | null;
	online: boolean;
	previouslyOnline: boolean | null;
	lastHeard: string | null;
	/** Particle's `platform_id` and its name ("Photon"); null when not known (or, for the name, not listed). */
	platformId: number | null;
	platform: string | null;
	vitalsUpdatedAt?: string | null;
	vitals?: Record<string, VitalsValue>;
	value?: VitalsValue;
	threshold?: ThresholdRule;
	changes?: Record<string, { previous: VitalsValue; current: VitalsValue }>;
	sample?: true;
	_sample?: string;
}

/** Who changed, as the item builders need it. */
export interface ChangeContext {
	device: ObservedDevice;
	product: string | null;
	/** Online as the trigger judges it now. */
	online: boolean;
	previouslyOnline: boolean | null;
}

export interface PollReading {
	previous: FleetState | undefined;
	/** Devices read this poll, each once. A device absent here keeps its previous state, or is pruned (see `complete`). */
	devices: ObservedDevice[];
	/** Vitals read this poll, by device ID. */
	vitals: Map<string, ObservedVitals>;
	/** Devices whose vitals read said there are none (404, or no record): checked, read again once heard from. */
	vitalsChecked?: Set<string>;
	/** Devices whose vitals read was refused (401/403): likewise, and counted towards "vitals refused everywhere". */
	vitalsRefused?: Set<string>;
	/**
	 * False when the listing changed while it was read (see fleetListing.ts): no device is judged online, offline or
	 * gone from it, and no new device joins; vitals of the devices listed still count. Default true.
	 */
	complete?: boolean;
	options: WatchOptions;
	product: string | null;
	now: number;
}

export interface PollOutcome {
	changes: FleetChangeItem[];
	next: FleetState;
	/** Whether `next` differs from `previous`: when false, the saved state should not be touched. */
	changed: boolean;
	/** Every vitals read since the last one that worked was refused, on enough devices to mean the credential. */
	vitalsRefused: boolean;
}

/** Refusals on this many different devices, and no read that worked, mean the credential cannot read vitals. */
export const REFUSED_DEVICES = 3;

export function isWatchingVitals(options: WatchOptions): boolean {
	return options.events.includes('vitalsUpdated') || options.events.includes('vitalsThreshold');
}

function entryShape(options: WatchOptions): EntryShape {
	if (options.threshold !== undefined && options.events.includes('vitalsThreshold')) return 'threshold';
	return isWatchingVitals(options) ? 'vitals' : 'online';
}

/** Online as the user wants it judged: the cloud's flag, and optionally heard from within the last N minutes. */
export function judgeOnline(device: ObservedDevice, now: number, offlineAfterMinutes?: number): boolean {
	if (!device.online) return false;
	if (!offlineAfterMinutes || offlineAfterMinutes <= 0) return true;
	const heard = device.lastHeard === null ? Number.NaN : Date.parse(device.lastHeard);
	return Number.isFinite(heard) && now - heard <= offlineAfterMinutes * 60_000;
}

export function crosses(value: VitalsValue | undefined, rule: ThresholdRule): boolean | undefined {
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	return rule.operator === 'below' ? value < rule.value : value > rule.value;
}

function entryOf(state: FleetState | undefined, id: string): DeviceEntry | undefined {
	return state !== undefined && Object.prototype.hasOwnProperty.call(state.d, id) ? state.d[id] : undefined;
}

export interface VitalsPlan {
	/** Read at most this many (the poll's request budget); the rest wait for a later poll, longest waiting first. */
	limit?: number;
	/** As in `PollReading`: from an incomplete listing, devices not yet in the state are left for later. */
	complete?: boolean;
	recheckMinutes?: number;
}

/**
 * Devices whose vitals this poll should read: those heard from since their vitals were last checked (only then can
 * new vitals exist; the device list has no vitals time). A device never checked comes first, then the one checked
 * longest ago, so a budget that cannot read all of them this poll starves none. With `recheckMinutes`, a device heard
 * from (an event) is read again only after that long, or at once when it started a new session.
 */
export function devicesNeedingVitals(previous: FleetState | undefined, devices: ObservedDevice[], plan: VitalsPlan = {}): string[] {
	const recheckMs = (plan.recheckMinutes ?? 0) * 60_000;
	const due: Array<{ id: string; checked: number }> = [];
	for (const device of devices) {
		const entry = entryOf(previous, device.id);
		if (entry === undefined && plan.complete === false) continue;
		const heard = stamp(device.lastHeard);
		// Never heard from: no vitals can exist.
		if (heard === 0) continue;
		const checked = entry === undefined ? 0 : decodeEntry(entry).heard;
		if (checked === heard) continue;
		if (recheckMs > 0 && checked > 0 && heard > 0 && heard - checked < recheckMs && !(stamp(device.lastHandshakeAt) > checked)) continue;
		due.push({ id: device.id, checked });
	}
	// Array.prototype.sort is stable: equal ones stay in list order.
	due.sort((a, b) => a.checked - b.checked);
	return due.slice(0, plan.limit ?? due.length).map((entry) => entry.id);
}

/** Whether the state says the credential cannot read vitals (see `REFUSED_DEVICES`). */
export function vitalsRefusedEverywhere(state: FleetState | undefined, deviceCount: number): boolean {
	const refused = state?.r?.length ?? 0;
	return refused > 0 && refused >= Math.min(REFUSED_DEVICES, Math.max(1, deviceCount));
}

/** While vitals are refused everywhere, one device is read each poll to see whether access came back. */
export function vitalsProbe(state: FleetState | undefined, devices: ObservedDevice[]): string | undefined {
	const listed = new Set(devices.map((device) => device.id));
	return state?.r?.find((id) => listed.has(id)) ?? devices.find((device) => device.lastHeard !== null)?.id;
}

function baseItem(event: FleetEvent, context: ChangeContext): FleetChangeItem {
	return {
		event,
		deviceId: context.device.id,
		deviceName: context.device.name,
		product: context.product,
		online: context.online,
		previouslyOnline: context.previouslyOnline,
		lastHeard: context.device.lastHeard,
		platformId: context.device.platformId ?? null,
		platform: platformName(context.device.platformId) ?? null,
	};
}

export function onlineChangeItem(event: 'deviceWentOffline' | 'deviceCameOnline', context: ChangeContext): FleetChangeItem {
	return baseItem(event, context);
}

export function vitalsUpdatedItem(context: ChangeContext, vitals: ObservedVitals): FleetChangeItem {
	return { ...baseItem('vitalsUpdated', context), vitalsUpdatedAt: vitals.updatedAt, vitals: vitals.values };
}

export function thresholdItem(context: ChangeContext, vitals: ObservedVitals, rule: ThresholdRule, previous: VitalsValue): FleetChangeItem {
	const current = vitals.values[rule.path] ?? null;
	return {
		...baseItem('vitalsThreshold', context),
		vitalsUpdatedAt: vitals.updatedAt,
		vitals: vitals.values,
		value: current,
		threshold: rule,
		changes: { [rule.path]: { previous, current } },
	};
}

function sameList(a: string[] | undefined, b: string[]): boolean {
	return (a ?? []).length === b.length && b.every((value, index) => a?.[index] === value);
}

/** The refused devices after this poll: cleared by any read that worked, else grown by this poll's refusals. */
function refusedAfter(reading: PollReading, watchingVitals: boolean): string[] {
	if (!watchingVitals || reading.vitals.size > 0 || (reading.vitalsChecked?.size ?? 0) > 0) return [];
	const refused = [...(reading.previous?.r ?? [])];
	for (const id of reading.vitalsRefused ?? []) {
		if (refused.length < REFUSED_DEVICES && !refused.includes(id)) refused.push(id);
	}
	return refused;
}

export function detectChanges(reading: PollReading): PollOutcome {
	const { previous, options, now, product } = reading;
	const complete = reading.complete !== false;
	const watching = new Set(options.events);
	const shape = entryShape(options);
	const rule = shape === 'threshold' ? options.threshold : undefined;
	const isBaseline = previous === undefined;
	const reportBaseline = isBaseline && options.reportOnBaseline === true;
	const changes: FleetChangeItem[] = [];

	// A baseline needs the whole fleet; an incomplete one is taken again next poll.
	if (isBaseline && !complete) return { changes, next: { v: 2, s: 0, d: {} }, changed: false, vitalsRefused: false };

	const previousDevices = previous?.d ?? {};
	const devices: Record<string, DeviceEntry> = complete ? {} : { ...previousDevices };
	// Values kept for another threshold field are not this field's.
	const sameField = previous?.t === rule?.path;
	let changed = previous === undefined || previous.t !== rule?.path;
	let kept = 0;
	const seen = new Set<string>();

	for (const device of reading.devices) {
		if (seen.has(device.id)) continue;
		seen.add(device.id);
		const entry = entryOf(previous, device.id);
		if (entry === undefined && !complete) continue;
		if (entry !== undefined) kept++;
		const before = entry === undefined ? undefined : decodeEntry(entry);
		const judged = judgeOnline(device, now, options.offlineAfterMinutes);
		const state: DeviceState = before
			? { ...before, ...(sameField ? {} : { value: null, crossed: null }) }
			: { online: judged, heard: 0, vitalsAt: 0, value: null, crossed: reportBaseline ? 2 : null };
		const context: ChangeContext = { device, product, online: complete ? judged : state.online, previouslyOnline: before ? before.online : null };

		if (complete) {
			if (before?.online === true && !judged) {
				if (watching.has('deviceWentOffline')) changes.push(onlineChangeItem('deviceWentOffline', context));
			} else if (before?.online === false && judged) {
				if (watching.has('deviceCameOnline')) changes.push(onlineChangeItem('deviceCameOnline', context));
			} else if (before === undefined && reportBaseline && !judged && watching.has('deviceWentOffline')) {
				changes.push(onlineChangeItem('deviceWentOffline', context));
			}
			state.online = judged;
		}

		if (shape !== 'online') readVitalsInto(state, reading, context, rule, before !== undefined, changes, watching);

		const next = encodeEntry(state, shape);
		const same = sameEntry(entry, next);
		if (!same) changed = true;
		devices[device.id] = same && entry !== undefined ? entry : next;
	}
	// A complete listing without some saved device: that device left the fleet (or the filters).
	if (complete && kept !== Object.keys(previousDevices).length) changed = true;

	const refused = refusedAfter(reading, shape !== 'online');
	if (!sameList(previous?.r, refused)) changed = true;
	const next: FleetState = {
		v: 2,
		s: previous?.s ?? 0,
		d: devices,
		...(refused.length > 0 ? { r: refused } : {}),
		...(rule ? { t: rule.path } : {}),
	};
	return { changes, next, changed, vitalsRefused: vitalsRefusedEverywhere(next, reading.devices.length) };
}

/** Applies this poll's vitals outcome for one device to its state, adding the vitals changes it shows. */
function readVitalsInto(
	state: DeviceState,
	reading: PollReading,
	context: ChangeContext,
	rule: ThresholdRule | undefined,
	known: boolean,
	changes: FleetChangeItem[],
	watching: Set<FleetEvent>,
): void {
	const id = context.device.id;
	const vitals = reading.vitals.get(id);
	const heard = stamp(context.device.lastHeard);
	if (vitals === undefined) {
		if (reading.vitalsChecked?.has(id) || reading.vitalsRefused?.has(id)) state.heard = heard;
		return;
	}
	state.heard = heard;
	const at = stamp(vitals.updatedAt);
	// A record without a time cannot be told from the last one.
	if (at === 0) return;
	// The first reading of a device is its baseline: new vitals are the ones after it.
	if (known && state.vitalsAt !== 0 && at !== state.vitalsAt && watching.has('vitalsUpdated')) {
		changes.push(vitalsUpdatedItem(context, vitals));
	}
	state.vitalsAt = at;
	if (rule === undefined) return;
	const current = vitals.values[rule.path];
	const crossedNow = crosses(current, rule);
	if (crossedNow !== undefined) {
		// Fires when it crosses (0 -> crossed), or on a first reading that Report on First Poll asked for (2).
		if (crossedNow && (state.crossed === 0 || state.crossed === 2) && watching.has('vitalsThreshold')) {
			changes.push(thresholdItem(context, vitals, rule, state.value));
		}
		state.crossed = crossedNow ? 1 : 0;
	}
	state.value = typeof current === 'number' && Number.isFinite(current) ? current : null;
}
