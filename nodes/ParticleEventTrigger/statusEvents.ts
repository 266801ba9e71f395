/**
 * Device status and vitals from Particle's system events: `spark/status` (`online` / `offline`, when the cloud starts or
 * ends a device's session) and `spark/device/diagnostics/update` (the vitals payload as JSON text), turned into the
 * polling trigger's change items by its own item builders, so both triggers emit the same items.
 *
 * Pure. What must survive a restart is plain JSON for the node's static data, a short array per device (n8n writes
 * the whole static data at every emit, so every byte a device costs is written each time); names, platforms and when a
 * device was last heard from live in memory only and come back from the device list read at activation.
 */
import { flattenObject } from '../shared/csv';
import { DEVICE_ID_PATTERN } from '../shared/limits';
import type { ParticleEvent } from '../shared/sseParser';
import {
	crosses,
	isWatchingVitals,
	onlineChangeItem,
	thresholdItem,
	vitalsUpdatedItem,
	type ChangeContext,
	type FleetEvent,
	type FleetChangeItem,
	type ObservedDevice,
	type ObservedVitals,
	type ThresholdRule,
	type VitalsValue,
	type WatchOptions,
} from '../ParticleTrigger/fleetChanges';

/** One stream for both events: the prefix `spark`, then the exact names, rather than two streams. */
export const SYSTEM_EVENT_PREFIX = 'spark';
export const STATUS_EVENT = 'spark/status';
export const VITALS_EVENT = 'spark/device/diagnostics/update';

/**
 * A device in static data: `[online]`, or with a threshold `[online, crossed, value]`:
 * - online: 1 or 0, from the last `spark/status` (or the device list at activation);
 * - crossed: 1 or 0 whether the threshold held at the last vitals, null before the first;
 * - value: the threshold field then (null when not a number), the `previous` of the next crossing.
 */
export type StoredDevice = readonly [online: 0 | 1] | readonly [online: 0 | 1, crossed: 0 | 1 | null, value: number | null];

export interface StatusState {
	v: 1;
	/** The threshold rule that `crossed` and `value` belong to: with another one, every device starts afresh. */
	t?: string;
	d: Record<string, StoredDevice>;
}

interface DeviceStatus {
	online: boolean | undefined;
	crossed: 0 | 1 | null;
	value: number | null;
}

/** Where the item's `product` comes from: the polling trigger's value for the same scope, or the event (organizations). */
export type ProductOfEvent = { kind: 'fixed'; product: string | null } | { kind: 'fromEvent' };

interface RememberedDevice {
	name: string | null;
	lastHeard: string | null;
	platformId: number | null;
}

/** Memory for names is capped: a stream naming endless device IDs cannot grow it without limit. */
export const MAX_REMEMBERED_DEVICES = 50_000;

function ruleKey(rule: ThresholdRule | undefined): string | undefined {
	return rule ? `${rule.path} ${rule.operator} ${rule.value}` : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Static data as saved, or a fresh state when it is missing or not this format. */
export function loadStatusState(saved: unknown, rule: ThresholdRule | undefined): StatusState {
	const state: StatusState = isRecord(saved) && saved.v === 1 && isRecord(saved.d) ? (saved as unknown as StatusState) : { v: 1, d: {} };
	if (state.t !== ruleKey(rule)) {
		for (const [id, entry] of Object.entries(state.d)) {
			const online = decode(entry).online;
			if (online === undefined) delete state.d[id];
			else state.d[id] = [online ? 1 : 0];
		}
		if (rule) state.t = ruleKey(rule);
		else delete state.t;
	}
	return state;
}

function decode(entry: unknown): DeviceStatus {
	const values: unknown[] = Array.isArray(entry) ? entry : [];
	const [online, crossed, value] = values;
	return {
		online: online === 1 ? true : online === 0 ? false : undefined,
		crossed: crossed === 1 || crossed === 0 ? crossed : null,
		value: typeof value === 'number' && Number.isFinite(value) ? value : null,
	};
}

function encode(status: DeviceStatus & { online: boolean }, withThreshold: boolean): StoredDevice {
	const online = status.online ? 1 : 0;
	return withThreshold ? [online, status.crossed, status.value] : [online];
}

function sessionOf(data: unknown): boolean | undefined {
	// Other data (Particle also sends "auto-update" before an OTA update) is no change of session.
	if (data === 'online') return true;
	if (data === 'offline') return false;
	return undefined;
}

function vitalsPayload(data: unknown): Record<string, unknown> | undefined {
	if (isRecord(data)) return data;
	if (typeof data !== 'string') return undefined;
	try {
		const parsed: unknown = JSON.parse(data);
		return isRecord(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

export interface HandledEvent {
	changes: FleetChangeItem[];
	/** Whether the saved state changed: only then need n8n write it. */
	changed: boolean;
}

const nothing = (): HandledEvent => ({ changes: [], changed: false });

export class StatusTracker {
	private readonly remembered = new Map<string, RememberedDevice>();
	/** Devices an event spoke of since activation: the device list, read after the stream opened, is older news. */
	private readonly heardSinceStart = new Set<string>();
	private readonly watching: Set<FleetEvent>;
	private readonly rule: ThresholdRule | undefined;

	constructor(
		readonly state: StatusState,
		private readonly watch: WatchOptions,
		private readonly productOf: ProductOfEvent,
	) {
		this.watching = new Set(watch.events);
		this.rule = watch.events.includes('vitalsThreshold') ? watch.threshold : undefined;
	}

	/**
	 * The devices as the cloud listed them at activation: names, when last heard, and whether online, the baseline
	 * the events then change (as the polling trigger's first poll, nothing fires). With `complete` (the whole scope
	 * was listed), devices no longer in it leave the state. Returns whether the saved state changed.
	 */
	seed(devices: ObservedDevice[], complete: boolean): boolean {
		let changed = false;
		const listed = new Set<string>();
		for (const device of devices) {
			const id = device.id.toLowerCase();
			if (!DEVICE_ID_PATTERN.test(id)) continue;
			listed.add(id);
			const memory = this.remember(id);
			memory.name = device.name;
			memory.platformId = device.platformId ?? null;
			if (this.heardSinceStart.has(id)) continue;
			memory.lastHeard = device.lastHeard;
			const before = decode(this.state.d[id]);
			if (before.online !== device.online) {
				this.state.d[id] = encode({ ...before, online: device.online }, this.rule !== undefined);
				changed = true;
			}
		}
		if (complete) {
			for (const id of Object.keys(this.state.d)) {
				if (!listed.has(id)) {
					delete this.state.d[id];
					changed = true;
				}
			}
		}
		return changed;
	}

	/** The change items one event makes (none for other events, repeats and unknown data), and the state after it. */
	handle(event: ParticleEvent): HandledEvent {
		const id = typeof event.coreid === 'string' ? event.coreid.toLowerCase() : '';
		// `api` and `particle-internal` are not devices.
		if (!DEVICE_ID_PATTERN.test(id)) return nothing();
		const publishedAt = typeof event.published_at === 'string' ? event.published_at : null;
		if (event.name === STATUS_EVENT) {
			const online = sessionOf(event.data);
			return online === undefined ? nothing() : this.session(id, event, online, publishedAt);
		}
		if (event.name === VITALS_EVENT && isWatchingVitals(this.watch)) {
			const payload = vitalsPayload(event.data);
			if (!payload) return nothing();
			return this.vitals(id, event, { updatedAt: publishedAt, values: flattenObject(payload) as Record<string, VitalsValue> });
		}
		return nothing();
	}

	private remember(id: string): RememberedDevice {
		let memory = this.remembered.get(id);
		if (!memory) {
			if (this.remembered.size >= MAX_REMEMBERED_DEVICES) {
				const oldest = this.remembered.keys().next().value;
				if (oldest !== undefined) this.remembered.delete(oldest);
			}
			memory = { name: null, lastHeard: null, platformId: null };
			this.remembered.set(id, memory);
		}
		return memory;
	}

	private context(id: string, event: ParticleEvent, online: boolean, previouslyOnline: boolean | null): ChangeContext {
		const memory = this.remember(id);
		const product = this.productOf.kind === 'fixed' ? this.productOf.product : typeof event.productID === 'number' ? String(event.productID) : null;
		return { device: { id, name: memory.name, online, lastHeard: memory.lastHeard, platformId: memory.platformId }, product, online, previouslyOnline };
	}

	/** `spark/status`: a change only when it differs from what is known; a repeat (offline when offline) is none. */
	private session(id: string, event: ParticleEvent, online: boolean, publishedAt: string | null): HandledEvent {
		this.heardSinceStart.add(id);
		const before = decode(this.state.d[id]);
		// Offline tells nothing new about when the device was last heard from; online means it is heard now.
		if (online) this.remember(id).lastHeard = publishedAt;
		if (before.online === online) return nothing();
		this.state.d[id] = encode({ ...before, online }, this.rule !== undefined);
		const kind = online ? 'deviceCameOnline' : 'deviceWentOffline';
		// A device not known before: the event itself is the change, but what it was before was not seen.
		const changes = this.watching.has(kind) ? [onlineChangeItem(kind, this.context(id, event, online, before.online ?? null))] : [];
		return { changes, changed: true };
	}

	/**
	 * New vitals: Vitals Updated every time (a vitals event delivered twice is reported twice: two reports in the same
	 * millisecond cannot be told from it), the threshold once when it crosses, not on a device's first reading.
	 */
	private vitals(id: string, event: ParticleEvent, vitals: ObservedVitals): HandledEvent {
		this.heardSinceStart.add(id);
		const memory = this.remember(id);
		memory.lastHeard = vitals.updatedAt ?? memory.lastHeard;
		const before = decode(this.state.d[id]);
		// Vitals come over a live session: a device not known before is online.
		const online = before.online ?? true;
		const context = this.context(id, event, online, before.online ?? null);
		const changes: FleetChangeItem[] = [];
		if (this.watching.has('vitalsUpdated')) changes.push(vitalsUpdatedItem(context, vitals));
		let after: DeviceStatus & { online: boolean } = { ...before, online };
		if (this.rule) {
			const current = vitals.values[this.rule.path];
			const crossedNow = crosses(current, this.rule);
			if (crossedNow && before.crossed === 0) changes.push(thresholdItem(context, vitals, this.rule, before.value));
			// A reading without the field (or not a number) keeps the side, as the polling trigger does.
			after = { ...after, crossed: crossedNow === undefined ? before.crossed : crossedNow ? 1 : 0, value: typeof current === 'number' && Number.isFinite(current) ? current : null };
		}
		const next = encode(after, this.rule !== undefined);
		const changed = JSON.stringify(this.state.d[id]) !== JSON.stringify(next);
		if (changed) this.state.d[id] = next;
		return { changes, changed };
	}
}
