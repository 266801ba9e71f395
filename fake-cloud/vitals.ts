/**
 * Device vitals: a history generated from (device, time) on demand, so a month of records, or a million, costs no
 * memory; plus the records a refresh or a test adds. Values drift plausibly: the battery charges and drains in a slow
 * cycle, signal wanders, memory use creeps after each reboot, session counters rise until the device reboots.
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

/** An offline device reported nothing since it was last heard from. */
function reportingUntil(device: FakeDevice, now: number): number {
	const heard = device.last_heard === null ? NaN : Date.parse(device.last_heard);
	return device.online || Number.isNaN(heard) ? now : min(now, heard);
}

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

	setInterval(deviceId: string, minutes: number): void {
		if (!(minutes >= 1)) throw new RangeError('fake cloud: vitals interval must be at least 1 minute');
		this.of(deviceId).intervalMinutes = minutes;
	}

	/** Records of [from, to] (never past `now`, nor past when an offline device was last heard), oldest first, made as read. */
	*history(device: FakeDevice, from: number, to: number, now: number): Generator<VitalsRecord> {
		const { intervalMinutes, reported } = this.of(device.id);
		const step = intervalMinutes * MINUTE;
		const end = min(to, reportingUntil(device, now));
		const inRange = reported.filter((record) => {
			const at = Date.parse(record.updated_at);
			return at >= from && at <= to;
		});
		let next = 0;
		for (let at = ceil(from / step) * step; at <= end; at += step) {
			while (next < inRange.length && Date.parse(inRange[next].updated_at) <= at) yield inRange[next++];
			yield { updated_at: new Date(at).toISOString(), deviceID: device.id, payload: generatedPayload(device, at) };
		}
		while (next < inRange.length) yield inRange[next++];
	}

	/** Every dotted payload path a CSV of this range needs: the generated ones plus any a reported record added. */
	columns(device: FakeDevice, from: number, to: number): string[] {
		const keys = new Set(Object.keys(flattenForCsv(generatedPayload(device, from))));
		for (const record of this.of(device.id).reported) {
			const at = Date.parse(record.updated_at);
			if (at >= from && at <= to) for (const key of Object.keys(flattenForCsv(record.payload))) keys.add(key);
		}
		return [...keys].sort();
	}

	last(device: FakeDevice, now: number): VitalsRecord {
		const { intervalMinutes, reported } = this.of(device.id);
		const step = intervalMinutes * MINUTE;
		const generatedAt = floor(reportingUntil(device, now) / step) * step;
		const latest = reported.at(-1);
		if (latest && Date.parse(latest.updated_at) >= generatedAt) return latest;
		return { updated_at: new Date(generatedAt).toISOString(), deviceID: device.id, payload: generatedPayload(device, generatedAt) };
	}

	/** The device reports vitals now: the current ones, changed by `patch`. */
	report(device: FakeDevice, now: number, patch: Record<string, unknown> = {}): VitalsRecord {
		const base = this.last(device, now).payload;
		const record = { updated_at: new Date(now).toISOString(), deviceID: device.id, payload: deepMerge(base, patch) };
		this.of(device.id).reported.push(record);
		return record;
	}
}

/** Describes the main fields like Particle's metadata answer (titles, units, health ranges); content is the fake's own. */
export const VITALS_METADATA = {
	device: {
		power: {
			battery: {
				charge: { title: 'Battery charge', type: 'number', priority: 1, units: '%', ranges: { ok: [20, 100], warning: [10, 20], error: [0, 10] }, messages: { warning: 'Battery is low', error: 'Battery is almost empty' } },
				state: {
					title: 'Battery state',
					type: 'string',
					priority: 2,
					ranges: { ok: ['charging', 'charged', 'discharging'], error: ['fault', 'unknown', 'not_charging'] },
					messages: { error: 'Battery is not healthy' },
				},
			},
		},
		network: {
			signal: {
				strength: { title: 'Signal strength', type: 'number', priority: 1, units: '%', ranges: { ok: [30, 100], warning: [15, 30], error: [0, 15] }, messages: { warning: 'Weak signal', error: 'Very weak signal' } },
				quality: { title: 'Signal quality', type: 'number', priority: 2, units: '%', ranges: { ok: [30, 100], warning: [0, 30] }, messages: {} },
			},
		},
		cloud: { connection: { disconnects: { title: 'Cloud disconnects', type: 'number', priority: 3, units: '', messages: {} } } },
		system: { memory: { used: { title: 'Memory used', type: 'number', priority: 3, units: 'bytes', messages: {} } } },
	},
};
