/**
 * Device vitals: a history generated from (device, time) on demand, so a month of records, or a million, costs no
 * memory; plus the records a refresh or a test adds. Values drift plausibly: battery drains and recharges, signal
 * wanders, memory use creeps, disconnects accumulate.
 */
import type { FakeDevice } from './fleet';

export const VITALS_RETENTION_MS = 30 * 86_400_000;
const MINUTE = 60_000;

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

/** A stable number in [0, 1) from a device ID and a step. */
function noise(deviceId: string, step: number, salt: number): number {
	let hash = 2166136261 ^ salt;
	for (let index = 0; index < deviceId.length; index++) hash = Math.imul(hash ^ deviceId.charCodeAt(index), 16777619);
	hash = Math.imul(hash ^ step, 2654435761);
	hash ^= hash >>> 15;
	return ((hash >>> 0) % 100_000) / 100_000;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function generatedPayload(device: FakeDevice, at: number): Record<string, unknown> {
	const hours = at / 3_600_000;
	const phase = noise(device.id, 0, 1) * Math.PI * 2;
	const charge = round(55 + 40 * Math.sin(hours / 9 + phase) + 4 * (noise(device.id, Math.floor(hours), 2) - 0.5));
	const strength = round(45 + 30 * Math.sin(hours / 5 + phase * 2) + 10 * (noise(device.id, Math.floor(hours), 3) - 0.5));
	const network: Record<string, unknown> = {
		signal: {
			at: device.cellular ? 'LTE Cat-M1' : 'Wi-Fi',
			strength,
			strength_units: '%',
			strengthv: round(-110 + strength * 0.6, 1),
			strengthv_units: 'dBm',
			quality: round(Math.min(100, strength + 10)),
			quality_units: '%',
		},
		connection: { status: 'connected', error: 0, disconnects: Math.floor(hours / 50), attempts: 1 },
	};
	if (device.cellular) {
		network.cellular = { radio_access_technology: 'LTE', operator: 'Fake Mobile', cell_global_identity: { mobile_country_code: 310, mobile_network_code: '410' } };
	}
	return {
		device: {
			network,
			cloud: {
				connection: { status: 'connected', error: 0, attempts: 1, disconnects: Math.floor(hours / 24) },
				coap: { transmit: Math.floor(hours * 12), retransmit: Math.floor(hours / 10), unack: 0, round_trip: Math.round(300 + 900 * noise(device.id, Math.floor(hours), 4)) },
				publish: { rate_limited: 0 },
			},
			power: { battery: { charge: Math.max(0, Math.min(100, charge)), state: charge > 90 ? 'charged' : 'discharging' }, source: device.cellular ? 'battery' : 'VIN' },
			system: { uptime: Math.floor((at / 1000) % 2_000_000), memory: { used: 36_000 + Math.round(4000 * noise(device.id, Math.floor(hours), 5)), total: 113_664 } },
		},
		service: { device: { status: 'ok' }, cloud: { uptime: Math.floor((at / 1000) % 90_000), publish: { sent: Math.floor(hours * 3) } } },
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

	/** Records of a range, oldest first, generated lazily. */
	*history(device: FakeDevice, from: number, to: number): Generator<VitalsRecord> {
		const { intervalMinutes, reported } = this.of(device.id);
		const step = intervalMinutes * MINUTE;
		const inRange = reported.filter((record) => {
			const at = Date.parse(record.updated_at);
			return at >= from && at <= to;
		});
		let next = 0;
		for (let at = Math.ceil(from / step) * step; at <= to; at += step) {
			while (next < inRange.length && Date.parse(inRange[next].updated_at) <= at) yield inRange[next++];
			yield { updated_at: new Date(at).toISOString(), deviceID: device.id, payload: generatedPayload(device, at) };
		}
		while (next < inRange.length) yield inRange[next++];
	}

	last(device: FakeDevice, now: number): VitalsRecord {
		const { intervalMinutes, reported } = this.of(device.id);
		const step = intervalMinutes * MINUTE;
		const generatedAt = Math.floor(now / step) * step;
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

export const VITALS_METADATA = {
	device: {
		power: {
			battery: {
				charge: { title: 'Battery charge', type: 'number', priority: 1, units: '%', ranges: { ok: [20, 100], warning: [10, 20], error: [0, 10] }, messages: { error: 'Battery is almost empty' } },
				state: { title: 'Battery state', type: 'string', priority: 2, messages: {} },
			},
		},
		network: {
			signal: {
				strength: { title: 'Signal strength', type: 'number', priority: 1, units: '%', ranges: { ok: [30, 100], warning: [15, 30], error: [0, 15] }, messages: {} },
				quality: { title: 'Signal quality', type: 'number', priority: 2, units: '%', ranges: { ok: [30, 100] }, messages: {} },
			},
		},
		system: { memory: { used: { title: 'Memory used', type: 'number', priority: 3, units: 'bytes', messages: {} } } },
	},
};
