/**
 * Device-call latency like a fleet's: the time a variable read, function call or ping takes to reach the device and
 * come back, drawn from a log-normal distribution (median 300 ms, p95 1.5 s by default), seeded, so the same seed gives
 * the same time for the same device's n-th call whatever order the calls arrive in (each benchmark variant meets the
 * same fleet). A fixed share of the devices is offline (the cloud answers at once, as it does for a device it has no
 * session with) and another share is slow (the cloud gives up after its timeout and answers 408, as for a device that
 * does not answer); a drawn time beyond that timeout is a 408 too. Particle does not document its timeout for device
 * calls (unconfirmed), so the default is a guess and benchmarks shorten it.
 *
 *   applyDeviceLatency(cloud.fleet, { seed: 7 });   // offline and slow devices chosen, latency on every device call
 */
import type { FakeDevice, Fleet } from './fleet';
import { Rng } from './rng';

export interface DeviceLatencyOptions {
	/** Same seed, same offline and slow devices, same time for each device's n-th call (default 1). */
	seed?: number;
	/** Median of a device call's round trip (default 300 ms). */
	medianMs?: number;
	/** 95th percentile (default 1500 ms); with the median it sets the log-normal's spread. */
	p95Ms?: number;
	/** Share of the devices that are offline: answered 404 at once (default 0.02). */
	offlineFraction?: number;
	/** Share of the devices that do not answer: 408 after `cloudTimeoutMs` (default 0.01). */
	slowFraction?: number;
	/** How long the cloud waits for a device before it answers 408 (default 20,000 ms; Particle's is undocumented). */
	cloudTimeoutMs?: number;
}

/** The 95th percentile of the standard normal distribution. */
const Z95 = 1.6448536269514722;

/** What one device call meets: an answer after `ms`, or the cloud's 408 after `ms`. */
export type DeviceDelay = { timedOut: false; ms: number } | { timedOut: true; ms: number };

/** A 32-bit hash of a text (FNV-1a), to give each device its own seeded stream. */
function hash(text: string, seed: number): number {
	let h = (0x811c9dc5 ^ seed) >>> 0;
	for (let index = 0; index < text.length; index++) {
		h ^= text.charCodeAt(index);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

export class DeviceLatency {
	readonly seed: number;
	readonly medianMs: number;
	readonly p95Ms: number;
	readonly offlineFraction: number;
	readonly slowFraction: number;
	readonly cloudTimeoutMs: number;
	/** ln(median) and the spread of the log-normal. */
	private readonly mu: number;
	private readonly sigma: number;
	private readonly callsByDevice = new Map<string, number>();

	constructor(options: DeviceLatencyOptions = {}) {
		this.seed = options.seed ?? 1;
		this.medianMs = options.medianMs ?? 300;
		this.p95Ms = options.p95Ms ?? 1500;
		this.offlineFraction = options.offlineFraction ?? 0.02;
		this.slowFraction = options.slowFraction ?? 0.01;
		this.cloudTimeoutMs = options.cloudTimeoutMs ?? 20_000;
		if (!(this.medianMs > 0 && this.p95Ms >= this.medianMs)) throw new RangeError('device latency: needs 0 < median <= p95');
		if (!(this.offlineFraction >= 0 && this.slowFraction >= 0 && this.offlineFraction + this.slowFraction <= 1)) {
			throw new RangeError('device latency: offline and slow fractions must be between 0 and 1 together');
		}
		if (!(this.cloudTimeoutMs > 0)) throw new RangeError('device latency: cloudTimeoutMs must be > 0');
		this.mu = Math.log(this.medianMs);
		this.sigma = Math.log(this.p95Ms / this.medianMs) / Z95;
	}

	/** The time of the device's `n`-th call (0-based): the same for the same seed, device and n. */
	drawMs(deviceId: string, n: number): number {
		const rng = new Rng(hash(`${deviceId}#${n}`, this.seed));
		// Box-Muller: two uniforms in (0, 1] -> one standard normal.
		const u1 = 1 - rng.next();
		const u2 = rng.next();
		const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
		return Math.exp(this.mu + this.sigma * z);
	}

	/** The next call to this device: its drawn time, or the cloud's timeout when the draw is longer. */
	nextCall(deviceId: string): DeviceDelay {
		const n = this.callsByDevice.get(deviceId) ?? 0;
		this.callsByDevice.set(deviceId, n + 1);
		const ms = this.drawMs(deviceId, n);
		return ms > this.cloudTimeoutMs ? { timedOut: true, ms: this.cloudTimeoutMs } : { timedOut: false, ms: Math.round(ms) };
	}

	/** Starts every device's calls from its first draw again, so another run meets the same times. */
	reset(): void {
		this.callsByDevice.clear();
	}

	/**
	 * Which devices are offline and which are slow: exact shares of `devices` (rounded), chosen by a seeded order of
	 * their IDs, so the choice does not depend on the order the fleet lists them in.
	 */
	choose(devices: readonly FakeDevice[]): { offline: FakeDevice[]; slow: FakeDevice[] } {
		const ranked = [...devices].sort((a, b) => hash(a.id, this.seed) - hash(b.id, this.seed) || (a.id < b.id ? -1 : 1));
		const offlineCount = Math.round(devices.length * this.offlineFraction);
		const slowCount = Math.round(devices.length * this.slowFraction);
		return { offline: ranked.slice(0, offlineCount), slow: ranked.slice(offlineCount, offlineCount + slowCount) };
	}
}

/**
 * Puts the model on the fleet: the chosen devices go offline (`spark/status` as any other change) or become slow, the
 * others come online, and every device call waits its drawn time. Returns the model (its `reset()` replays the times).
 */
export function applyDeviceLatency(fleet: Fleet, options: DeviceLatencyOptions = {}, devices: readonly FakeDevice[] = [...fleet.devices.values()]): DeviceLatency {
	const latency = new DeviceLatency(options);
	const { offline, slow } = latency.choose(devices);
	const offlineIds = new Set(offline.map((device) => device.id));
	const slowIds = new Set(slow.map((device) => device.id));
	for (const device of devices) {
		fleet.setOnline(device.id, !offlineIds.has(device.id));
		device.slowDelayMs = slowIds.has(device.id) ? latency.cloudTimeoutMs : null;
	}
	fleet.deviceLatency = latency;
	return latency;
}

/** Takes the model off: device calls answer at once again (online states and slow devices stay as they are). */
export function removeDeviceLatency(fleet: Fleet): void {
	fleet.deviceLatency = null;
}
