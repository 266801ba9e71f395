/**
 * The polling trigger's saved state, kept small: n8n writes a workflow's static data to its database after a poll that
 * changed it, so at 50,000 devices every byte a device costs is 50 kB per write. Only what detection needs is kept,
 * one short array per device. Pure: no n8n runtime.
 *
 * Format 2 (`v: 2`): `{ v, s, d: { <device id>: entry }, r?, t? }`, where an entry is
 *   [online]                                    when no vitals event is watched,
 *   [online, heard, vitalsAt]                   with Vitals Updated,
 *   [online, heard, vitalsAt, value, crossed]   with a threshold,
 * - online: 1 or 0, as the trigger judged it at the last complete listing;
 * - heard: `last_heard` (ms) when the device's vitals were last checked (read, or answered that there are none);
 *   0 = never checked. Vitals can only be new when `last_heard` moved past it;
 * - vitalsAt: `updated_at` (ms) of the last vitals read; 0 = none read yet (the first reading is a baseline);
 * - value: the threshold field at that reading (null when not a number);
 * - crossed: 1 or 0 whether the threshold held then, null unknown, 2 = report the first reading (Report on First Poll).
 * `s` counts writes (a poll that started before a write emits nothing); `r` lists devices whose vitals were refused
 * (401/403) with no successful read since; `t` is the threshold field the values belong to.
 *
 * Format 1 (`version: 1`, package 0.1) kept every device's name, last_heard and all vitals; it is migrated on the
 * first poll (`migrateState`), without a read or an alert.
 */

export type VitalsValue = number | string | boolean | null;

/** 2: the first reading of this device reports a threshold already crossed (Report on First Poll). */
export type CrossedMark = 0 | 1 | 2 | null;

export type DeviceEntry =
	| readonly [online: 0 | 1]
	| readonly [online: 0 | 1, heard: number, vitalsAt: number]
	| readonly [online: 0 | 1, heard: number, vitalsAt: number, value: number | null, crossed: CrossedMark];

export interface FleetState {
	v: 2;
	/** Write counter. */
	s: number;
	d: Record<string, DeviceEntry>;
	/** Devices whose vitals read was refused (401/403) since the last read that worked, at most a few. */
	r?: string[];
	/** The threshold field that the kept values belong to. */
	t?: string;
}

/** One device as the entry says, with defaults for what the entry does not keep. */
export interface DeviceState {
	online: boolean;
	heard: number;
	vitalsAt: number;
	value: number | null;
	crossed: CrossedMark;
}

/** What an entry keeps: the shape follows the events watched. */
export type EntryShape = 'online' | 'vitals' | 'threshold';

export function decodeEntry(entry: DeviceEntry): DeviceState {
	return {
		online: entry[0] === 1,
		heard: entry[1] ?? 0,
		vitalsAt: entry[2] ?? 0,
		value: entry[3] ?? null,
		crossed: entry[4] ?? null,
	};
}

export function encodeEntry(state: DeviceState, shape: EntryShape): DeviceEntry {
	const online = state.online ? 1 : 0;
	if (shape === 'online') return [online];
	if (shape === 'vitals') return [online, state.heard, state.vitalsAt];
	return [online, state.heard, state.vitalsAt, state.value, state.crossed];
}

export function sameEntry(a: DeviceEntry | undefined, b: DeviceEntry): boolean {
	if (a === undefined || a.length !== b.length) return false;
	for (let index = 0; index < b.length; index++) if (a[index] !== b[index]) return false;
	return true;
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
	let value = 2166136261;
	for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 16777619);
	return value >>> 0;
}

/**
 * A timestamp as a number to compare: milliseconds for an ISO time; for anything else a negative hash, which still
 * tells a change but never passes for a time; 0 for none.
 */
export function stamp(text: string | null | undefined): number {
	if (typeof text !== 'string' || text === '') return 0;
	const ms = Date.parse(text);
	return Number.isFinite(ms) && ms > 0 ? ms : -(hash(text) + 1);
}

export function isFleetState(value: unknown): value is FleetState {
	const state = value as Partial<FleetState> | null;
	return typeof state === 'object' && state !== null && state.v === 2 && typeof state.d === 'object' && state.d !== null;
}

/** What package 0.1 saved. */
interface LegacyDevice {
	online?: unknown;
	lastHeard?: unknown;
	vitalsAt?: unknown;
	vitals?: Record<string, unknown>;
	crossed?: unknown;
}

function isLegacyState(value: unknown): value is { version: 1; devices: Record<string, LegacyDevice> } {
	const state = value as { version?: unknown; devices?: unknown } | null;
	return typeof state === 'object' && state !== null && state.version === 1 && typeof state.devices === 'object' && state.devices !== null;
}

/**
 * The saved state in format 2, or undefined when there is none (or it is unreadable: the next poll is a baseline).
 * Format 1 is converted: a device whose vitals were read then was read at the `last_heard` it kept (0.1 updated both
 * together), so nothing is read again or reported until the device is heard from.
 */
export function migrateState(saved: unknown, thresholdPath: string | undefined): FleetState | undefined {
	if (isFleetState(saved)) return saved;
	if (!isLegacyState(saved)) return undefined;
	const devices: Record<string, DeviceEntry> = {};
	for (const [id, legacy] of Object.entries(saved.devices)) {
		if (typeof legacy !== 'object' || legacy === null) continue;
		const read = legacy.vitalsAt !== undefined;
		const kept = thresholdPath === undefined ? undefined : legacy.vitals?.[thresholdPath];
		const crossed = legacy.crossed === true ? 1 : legacy.crossed === false ? 0 : null;
		devices[id] = encodeEntry(
			{
				online: legacy.online === true,
				heard: read ? stamp(typeof legacy.lastHeard === 'string' ? legacy.lastHeard : null) : 0,
				vitalsAt: read ? stamp(typeof legacy.vitalsAt === 'string' ? legacy.vitalsAt : null) : 0,
				value: typeof kept === 'number' && Number.isFinite(kept) ? kept : null,
				crossed,
			},
			thresholdPath === undefined ? 'vitals' : 'threshold',
		);
	}
	return { v: 2, s: 0, d: devices, ...(thresholdPath === undefined ? {} : { t: thresholdPath }) };
}
