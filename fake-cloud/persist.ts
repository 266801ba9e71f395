/**
 * The fleet's life across restarts: each device's name, notes, online state, last_heard and last handshake, kept in a
 * JSON file. A seeded fleet restarts with the same device IDs, so loading the file continues where the last run
 * stopped: a device heard a minute ago is not suddenly "last heard 3 days ago", and a polling trigger that remembers
 * the fleet sees no change that did not happen. Everything else (tokens, products, vitals) comes from the seed again.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { FakeDevice, Fleet } from './fleet';

export const FLEET_STATE_VERSION = 1;

export interface SavedDevice {
	name: string;
	notes: string | null;
	online: boolean;
	last_heard: string | null;
	last_handshake_at: string | null;
}

export interface FleetState {
	version: typeof FLEET_STATE_VERSION;
	savedAt: string;
	devices: Record<string, SavedDevice>;
}

/** The file is there but is not a fleet state this version can read. */
export class FleetStateError extends Error {}

export function snapshotFleet(fleet: Fleet): FleetState {
	const devices: Record<string, SavedDevice> = {};
	for (const device of fleet.devices.values()) {
		const { name, notes, online, last_heard, last_handshake_at } = device;
		devices[device.id] = { name, notes, online, last_heard, last_handshake_at };
	}
	return { version: FLEET_STATE_VERSION, savedAt: new Date(fleet.clock.now()).toISOString(), devices };
}

const isTime = (value: unknown): value is string | null =>
	value === null || (typeof value === 'string' && !Number.isNaN(Date.parse(value)));

function isSavedDevice(value: unknown): value is SavedDevice {
	if (value === null || typeof value !== 'object') return false;
	const entry = value as Record<string, unknown>;
	return (
		typeof entry.name === 'string' &&
		entry.name.length >= 1 &&
		entry.name.length <= 64 &&
		(entry.notes === null || typeof entry.notes === 'string') &&
		typeof entry.online === 'boolean' &&
		isTime(entry.last_heard) &&
		isTime(entry.last_handshake_at)
	);
}

export function parseFleetState(text: string): FleetState {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new FleetStateError('not JSON');
	}
	const state = parsed as Partial<FleetState> | null;
	if (state === null || typeof state !== 'object' || state.version !== FLEET_STATE_VERSION) {
		throw new FleetStateError(`not a version ${FLEET_STATE_VERSION} fleet state`);
	}
	if (state.devices === null || typeof state.devices !== 'object') throw new FleetStateError('no devices');
	for (const [id, entry] of Object.entries(state.devices)) {
		if (!isSavedDevice(entry)) throw new FleetStateError(`device ${id} is not a saved device`);
	}
	return state as FleetState;
}

/**
 * Puts the saved state on the devices the fleet has; saved devices it does not have (another seed or size) are
 * skipped. Names are applied together, so a swap of two names saved earlier stays a swap.
 */
export function restoreFleet(fleet: Fleet, state: FleetState): { restored: number; skipped: number } {
	let restored = 0;
	let skipped = 0;
	for (const [id, saved] of Object.entries(state.devices)) {
		const device: FakeDevice | undefined = fleet.devices.get(id);
		if (!device) {
			skipped++;
			continue;
		}
		device.name = saved.name;
		device.notes = saved.notes;
		device.online = saved.online;
		device.last_heard = saved.last_heard;
		device.last_handshake_at = saved.last_handshake_at;
		restored++;
	}
	return { restored, skipped };
}

/** Write then rename, so a crash mid-write leaves the previous file, never half of one. */
export function writeFleetState(file: string, state: FleetState): void {
	mkdirSync(dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`);
	renameSync(temporary, file);
}

export interface FleetStateKeeper {
	/** How the fleet started: from the file, fresh (no file yet), or fresh because the file could not be read. */
	readonly loaded: { from: 'file'; restored: number; skipped: number } | { from: 'seed'; reason?: string };
	/** Writes the state now if it changed since the last write. */
	save(): void;
	/** A last save, then no more. */
	stop(): void;
}

export interface KeepOptions {
	/** Also saved this often (renames and notes come in through the API, which emits nothing); default 10 s. */
	everyMs?: number;
}

/**
 * Loads `file` into the fleet (when it is there), then keeps it up to date: at once on every online/offline change,
 * every `everyMs` for anything else, and on `stop()`.
 */
export function keepFleetState(fleet: Fleet, file: string, options: KeepOptions = {}): FleetStateKeeper {
	let loaded: FleetStateKeeper['loaded'] = { from: 'seed' };
	if (existsSync(file)) {
		try {
			loaded = { from: 'file', ...restoreFleet(fleet, parseFleetState(readFileSync(file, 'utf8'))) };
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			// Kept aside rather than overwritten by the first save, for whoever wants to look at it.
			renameSync(file, `${file}.unreadable`);
			loaded = { from: 'seed', reason: `${file} could not be read (${reason}); kept as ${file}.unreadable, the fleet starts from its seed` };
		}
	}
	// Only the devices' part: savedAt changes on every call and would make every tick a write.
	let written = '';
	const save = (): void => {
		const state = snapshotFleet(fleet);
		const devices = JSON.stringify(state.devices);
		if (devices === written) return;
		writeFleetState(file, state);
		written = devices;
	};
	const onEvent = (event: { name: string }): void => {
		if (event.name === 'spark/status') save();
	};
	fleet.events.on('event', onEvent);
	const timer = setInterval(save, options.everyMs ?? 10_000);
	timer.unref();
	save();
	let stopped = false;
	return {
		loaded,
		save,
		stop() {
			if (stopped) return;
			stopped = true;
			clearInterval(timer);
			fleet.events.off('event', onEvent);
			save();
		},
	};
}
