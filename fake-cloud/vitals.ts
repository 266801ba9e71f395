/**
 * Particle Cloud API reference, "Device vitals" (particle-iot/docs generated/api-service.json, group Diagnostics).
 * Device vitals: a history generated from (device, time) on demand, so a month of records, or a million, costs no
 * memory; plus the records a refresh or a test adds. Values drift plausibly: the battery charges and drains in a slow
 * cycle, signal wanders, memory use creeps after each reboot, session counters rise until the device reboots. A device
 * never heard from has sent no vitals: no history, no last record.
 */
import { flattenForCsv } from './csv';
import type { FakeDevice } from './fleet';

export const VITALS_RETENTION_MS = 30 * 86_400_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface VitalsRecord {
	updated_at: string;
	deviceID: string;
	payload: Record<string, unknown>;
}

interface DeviceVitals {
	intervalMinutes: number;
	/** When a device that had sent nothing first reported (nothing generated before); undefined: reporting all along. */
	since?: number;
	/** Records reported on top of the generated ones (refresh, setVitals), oldest first. */
	reported: VitalsRecord[];
}

// Local aliases: under Jest's vm sandbox every lookup of a global such as `Math` is slow, and a month of minute
// records makes millions of these calls.
const { PI, ceil, cos, floor, imul, max, min, round: roundNumber, sin } = Math;

const deviceHashes = new Map<string, number>();

/** FNV-1a of the device ID, once per device. */
function deviceHash(deviceId: string): number {
	let hash = deviceHashes.get(deviceId);
	if (hash === undefined) {
		hash = 2166136261;
		for (let index = 0; index < deviceId.length; index++) hash = imul(hash ^ deviceId.charCodeAt(index), 16777619);
		deviceHashes.set(deviceId, hash);
	}
	return hash;
}

/** A stable number in [0, 1) from a device ID, a step and a salt. */
function noise(deviceId: string, step: number, salt: number): number {
	let hash = imul(deviceHash(deviceId) ^ salt, 16777619);
	hash = imul(hash ^ step, 2654435761);
	hash ^= hash >>> 15;
	return ((hash >>> 0) % 100_000) / 100_000;
}

const round = (value: number, digits = 2) => roundNumber(value * 10 ** digits) / 10 ** digits;
const clamp = (value: number, low: number, high: number) => min(high, max(low, value));

/** The device's last reboot before `at`: every 20 to 40 days (per device), which resets uptime and counters. */
function lastBoot(deviceId: string, at: number): number {
	const period = (20 + 20 * noise(deviceId, 0, 6)) * DAY;
	const offset = noise(deviceId, 0, 7) * period;
	return floor((at - offset) / period) * period + offset;
}

/** The generated vitals of a device at a time. Uses only `id` and `cellular` (benchmarks pass just those). */
export function generatedPayload(device: Pick<FakeDevice, 'id' | 'cellular'>, at: number): Record<string, unknown> {
	const hours = at / HOUR;
	const jitter = (salt: number) => noise(device.id, floor(hours), salt) - 0.5;
	const phase = noise(device.id, 0, 1) * PI * 2;
	// A charge cycle of about 2.4 days: charging while the curve rises, draining while it falls.
	const cycle = hours / 9 + phase;
	const charge = clamp(round(55 + 40 * sin(cycle) + 4 * jitter(2)), 0, 100);
	const charging = cos(cycle) > 0;
	const strength = clamp(round(50 + 30 * sin(hours / 5 + phase * 2) + 10 * jitter(3)), 0, 100);
	const quality = clamp(round(strength * 0.8 + 15 + 8 * jitter(4)), 0, 100);
	const sinceBoot = at - lastBoot(device.id, at);
	const bootHours = sinceBoot / HOUR;
	const cloudDisconnects = floor(bootHours / (12 + 24 * noise(device.id, 0, 8)));
	// Cellular: LTE RSRP/RSRQ; Wi-Fi: RSSI/SNR (exact Wi-Fi keys unconfirmed).
	const signal = device.cellular
		? { at: 'LTE Cat-M1', strengthv: round(-140 + strength * 0.96, 1), strengthv_type: 'RSRP', qualityv: round(-19.5 + quality * 0.165, 1), qualityv_type: 'RSRQ' }
		: { at: 'Wi-Fi', strengthv: round(-90 + strength * 0.6, 1), strengthv_type: 'RSSI', qualityv: round(quality * 0.4, 1), qualityv_type: 'SNR' };
	const network: Record<string, unknown> = {
		signal: {
			at: signal.at,
			strength,
			strength_units: '%',
			strengthv: signal.strengthv,
			strengthv_units: 'dBm',
			strengthv_type: signal.strengthv_type,
			quality,
			quality_units: '%',
			qualityv: signal.qualityv,
			qualityv_units: 'dB',
			qualityv_type: signal.qualityv_type,
		},
		connection: { status: 'connected', error: 0, disconnects: floor(bootHours / 72), attempts: 1, disconnect_reason: 'reset' },
	};
	if (device.cellular) {
		network.cellular = {
			radio_access_technology: 'LTE',
			operator: 'Fake Mobile',
			cell_global_identity: { mobile_country_code: 310, mobile_network_code: '410', location_area_code: 40_000 + floor(noise(device.id, 0, 9) * 9999), cell_id: 20_000_000 + floor(noise(device.id, 0, 10) * 999_999) },
		};
	}
	return {
		device: {
			network,
			cloud: {
				connection: { status: 'connected', error: 0, attempts: cloudDisconnects + 1, disconnects: cloudDisconnects, disconnect_reason: 'error' },
				coap: { transmit: floor(bootHours * 12), retransmit: floor(bootHours / 10), unack: 0, round_trip: roundNumber(750 + 900 * jitter(5)) },
				publish: { rate_limited: 0 },
			},
			power: { battery: { charge, state: charge >= 98 ? 'charged' : charging ? 'charging' : 'discharging' }, source: charging ? 'VIN' : 'battery' },
			system: {
				uptime: floor(sinceBoot / 1000),
				// Wanders slowly, creeps up for the first weeks after a boot.
				memory: { used: roundNumber(36_000 + 3000 * sin(hours / 37 + phase) + 2000 * min(1, bootHours / 500) + 400 * jitter(11)), total: 113_664 },
			},
		},
		service: {
			device: { status: 'ok' },
			cloud: { uptime: floor(sinceBoot / 1000) % 86_400, publish: { sent: floor(bootHours * 3) } },
			coap: { round_trip: roundNumber(600 + 500 * jitter(12)) },
		},
	};
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
	const merged: Record<string, unknown> = { ...base };
	for (const [key, value] of Object.entries(patch)) {
		const existing = merged[key];
		merged[key] =
			value && typeof value === 'object' && !Array.isArray(value) && existing && typeof existing === 'object' && !Array.isArray(existing)
				? deepMerge(existing as Record<string, unknown>, value as Record<string, unknown>)
				: value;
	}
	return merged;
}

/**
 * Until when the device sent vitals: now while online; an offline device nothing since it was last heard from, and
 * one never heard from nothing at all (undefined).
 */
function reportingUntil(device: FakeDevice, now: number): number | undefined {
	if (device.online) return now;
	const heard = device.last_heard === null ? NaN : Date.parse(device.last_heard);
	return Number.isNaN(heard) ? undefined : min(now, heard);
}

/**
 * The leaf fields of the reference's "Device vitals event", in its order: the fake's CSV columns after `deviceID` and
 * `updated_at` (Particle documents that the CSV exists, not its header; these are the documented field names). The
 * field list says `device.cloud.disconnects`; the reference's example payload, which the fake sends, has
 * `device.cloud.connection.disconnects`, so that is the name used here.
 */
export const DOCUMENTED_VITALS_PATHS: readonly string[] = [
	'device.network.cellular.radio_access_technology',
	'device.network.cellular.operator',
	'device.network.cellular.cell_global_identity.mobile_country_code',
	'device.network.cellular.cell_global_identity.mobile_network_code',
	'device.network.cellular.cell_global_identity.location_area_code',
	'device.network.cellular.cell_global_identity.cell_id',
	'device.network.signal.at',
	'device.network.signal.strength',
	'device.network.signal.strength_units',
	'device.network.signal.strengthv',
	'device.network.signal.strengthv_units',
	'device.network.signal.strengthv_type',
	'device.network.signal.quality',
	'device.network.signal.quality_units',
	'device.network.signal.qualityv',
	'device.network.signal.qualityv_units',
	'device.network.signal.qualityv_type',
	'device.network.connection.status',
	'device.network.connection.error',
	'device.network.connection.disconnects',
	'device.network.connection.attempts',
	'device.network.connection.disconnect_reason',
	'device.cloud.connection.status',
	'device.cloud.connection.error',
	'device.cloud.connection.attempts',
	'device.cloud.connection.disconnects',
	'device.cloud.connection.disconnect_reason',
	'device.cloud.coap.transmit',
	'device.cloud.coap.retransmit',
	'device.cloud.coap.unack',
	'device.cloud.coap.round_trip',
	'device.cloud.publish.rate_limited',
	'device.power.battery.charge',
	'device.power.battery.state',
	'device.power.source',
	'device.system.uptime',
	'device.system.memory.used',
	'device.system.memory.total',
	'service.device.status',
	'service.cloud.uptime',
	'service.cloud.publish.sent',
	'service.coap.round_trip',
];
const DOCUMENTED = new Set(DOCUMENTED_VITALS_PATHS);

export class VitalsStore {
	private readonly byDevice = new Map<string, DeviceVitals>();

	private of(deviceId: string): DeviceVitals {
		let entry = this.byDevice.get(deviceId);
		if (!entry) {
			entry = { intervalMinutes: 60, reported: [] };
			this.byDevice.set(deviceId, entry);
		}
		return entry;
	}

	/** Minutes between generated records; fractions down to one second (a million rows in 30 days is 2.592 s). */
	setInterval(deviceId: string, minutes: number): void {
		if (!(roundNumber(minutes * MINUTE) >= 1000)) throw new RangeError('fake cloud: vitals interval must be at least 1 second');
		this.of(deviceId).intervalMinutes = minutes;
	}

	/**
	 * Records of [from, to): start inclusive, end exclusive, as the reference has `start_date` and `end_date` (never
	 * past `now`, nor past when an offline device was last heard), oldest first, made as read.
	 */
	*history(device: FakeDevice, from: number, to: number, now: number): Generator<VitalsRecord> {
		const { intervalMinutes, reported, since } = this.of(device.id);
		const step = roundNumber(intervalMinutes * MINUTE);
		const end = min(to - 1, reportingUntil(device, now) ?? -Infinity);
		const inRange = reported.filter((record) => {
			const at = Date.parse(record.updated_at);
			return at >= from && at < to;
		});
		let next = 0;
		// Generated records only after the device was first heard, if that is known.
		const generatedFrom = since === undefined ? from : max(from, since + 1);
		for (let at = ceil(generatedFrom / step) * step; at <= end; at += step) {
			while (next < inRange.length && Date.parse(inRange[next].updated_at) <= at) yield inRange[next++];
			yield { updated_at: new Date(at).toISOString(), deviceID: device.id, payload: generatedPayload(device, at) };
		}
		while (next < inRange.length) yield inRange[next++];
	}

	/**
	 * The CSV columns of this range's payloads: the documented fields, always and in the reference's order, then any
	 * other path a reported record added, sorted.
	 */
	columns(device: FakeDevice, from: number, to: number): string[] {
		const extra = new Set<string>();
		for (const record of this.of(device.id).reported) {
			const at = Date.parse(record.updated_at);
			if (at < from || at >= to) continue;
			for (const key of Object.keys(flattenForCsv(record.payload))) if (!DOCUMENTED.has(key)) extra.add(key);
		}
		return [...DOCUMENTED_VITALS_PATHS, ...[...extra].sort()];
	}

	/** The last record the device sent; undefined for a device that never sent vitals (what the route answers 404 for). */
	lastSent(device: FakeDevice, now: number): VitalsRecord | undefined {
		const { intervalMinutes, reported, since } = this.of(device.id);
		const step = roundNumber(intervalMinutes * MINUTE);
		const latest = reported.at(-1);
		const until = reportingUntil(device, now);
		if (until === undefined) return latest;
		const generatedAt = floor(until / step) * step;
		if (latest && (Date.parse(latest.updated_at) >= generatedAt || (since !== undefined && generatedAt <= since))) return latest;
		return { updated_at: new Date(generatedAt).toISOString(), deviceID: device.id, payload: generatedPayload(device, generatedAt) };
	}

	/** The last record sent, or for a device that sent none, the vitals it would send now (tests and benchmarks). */
	last(device: FakeDevice, now: number): VitalsRecord {
		return this.lastSent(device, now) ?? { updated_at: new Date(now).toISOString(), deviceID: device.id, payload: generatedPayload(device, now) };
	}

	/** The device reports vitals now: the current ones (the generated ones if it sent none before), changed by `patch`. */
	report(device: FakeDevice, now: number, patch: Record<string, unknown> = {}): VitalsRecord {
		const entry = this.of(device.id);
		const first = this.lastSent(device, now) === undefined;
		const base = this.last(device, now).payload;
		const record = { updated_at: new Date(now).toISOString(), deviceID: device.id, payload: deepMerge(base, patch) };
		// A device heard for the first time: its generated history starts after this record.
		if (first) entry.since = now;
		entry.reported.push(record);
		return record;
	}
}

/**
 * The metadata answer, shaped like the example of "Get device vitals metadata" in the older reference (that endpoint
 * is gone from the current one): per vital a title, type, priority, units `{ title, convert }`, ranges `{ type, ... }`
 * for numbers or values `{ all, healthy, warning }` for strings, messages `{ description, healthy, warning }` and
 * `describes` for a companion vital. Texts are the fake's own.
 */
export const VITALS_METADATA = {
	device: {
		power: {
			battery: {
				charge: {
					title: 'battery charge',
					type: 'number',
					priority: 1,
					units: { title: 'percent', convert: { type: 'round' } },
					ranges: { type: 'below', warning: 20 },
					messages: { description: 'How full the battery is.', healthy: 'The battery charge is fine.', warning: 'The battery is low: charge it soon.' },
				},
				state: {
					title: '',
					type: 'string',
					describes: 'device.power.battery.charge',
					values: {
						all: ['unknown', 'not_charging', 'charging', 'charged', 'discharging', 'fault'],
						healthy: ['charging', 'charged', 'discharging'],
						warning: ['fault', 'unknown', 'not_charging'],
					},
				},
			},
		},
		system: {
			memory: {
				used: {
					title: 'RAM used',
					type: 'number',
					priority: 6,
					units: { title: 'kB', convert: { type: 'divide', by: 1024 } },
					ranges: { type: 'ratio_above', ratio: 0.9, param1: 'device.system.memory.used', param2: 'device.system.memory.total' },
					messages: { description: 'Heap and static RAM in use.', healthy: 'Enough memory is free.', warning: 'The device may soon run out of memory.' },
				},
				total: { title: '', type: 'number', units: { title: 'kB', convert: { type: 'divide', by: 1024 } }, describes: 'device.system.memory.used' },
			},
		},
		network: {
			signal: {
				strength: {
					title: 'signal strength',
					type: 'number',
					priority: 2,
					units: { title: 'percent', convert: { type: 'round' } },
					ranges: { type: 'below', warning: 20 },
					messages: { description: 'Radio signal strength.', healthy: 'The signal is strong enough.', warning: 'The signal is weak.' },
				},
			},
		},
	},
};
