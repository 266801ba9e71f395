/**
 * Scripted fleet life for tests and the demo, from a seeded sequence so a run is repeatable. Three clocks:
 * - state changes: a device goes offline or comes back, on average every `everyMs` across the whole fleet (default
 *   2 minutes), each wait drawn between half and one and a half times that, so a device listed as online a moment ago
 *   still is when you call it;
 * - readings: every `readingEveryMs` (default 5 s) one online device of each group (the sandbox, each product)
 *   publishes `demo/temperature`;
 * - vitals: every `vitalsEveryMs` (default 1 minute) one online device reports drifting vitals.
 * Bounded in steps, timers unref'd, stopped by `stop()` or when the cloud closes.
 */
import type { FakeDevice, Fleet } from './fleet';
import { Rng } from './rng';

export const DEFAULT_CHANGE_EVERY_MS = 120_000;
export const DEFAULT_READING_EVERY_MS = 5000;
export const DEFAULT_VITALS_EVERY_MS = 60_000;
const MIN_PERIOD_MS = 5;

export interface FleetScriptOptions {
	/** Mean time between online/offline changes across the fleet (default 120,000 ms). */
	everyMs?: number;
	/** Time between readings; each one publishes from one online device per group (default 5000 ms). */
	readingEveryMs?: number;
	/** Time between vitals reports of one online device (default 60,000 ms). */
	vitalsEveryMs?: number;
	/** Devices the script never takes offline (the demo's example call goes to one of them). */
	steady?: readonly string[];
	/** The script stops by itself after this many steps of any kind (default 100,000). */
	maxSteps?: number;
	seed?: number;
}

export type FleetStep = 'offline' | 'online' | 'vitals' | 'publish';

export class FleetScript {
	private readonly rng: Rng;
	private readonly timers: NodeJS.Timeout[] = [];
	private changeTimer: NodeJS.Timeout | undefined;
	private readonly maxSteps: number;
	private readonly changeEveryMs: number;
	private readonly steady: ReadonlySet<string>;
	private stopped = false;
	steps = 0;
	readonly log: Array<{ step: FleetStep; deviceId: string; at: string }> = [];

	constructor(
		private readonly fleet: Fleet,
		options: FleetScriptOptions = {},
	) {
		this.rng = new Rng(options.seed ?? 7);
		this.maxSteps = options.maxSteps ?? 100_000;
		this.changeEveryMs = period(options.everyMs, DEFAULT_CHANGE_EVERY_MS);
		this.steady = new Set(options.steady ?? []);
		this.every(period(options.readingEveryMs, DEFAULT_READING_EVERY_MS), () => this.publishReadings());
		this.every(period(options.vitalsEveryMs, DEFAULT_VITALS_EVERY_MS), () => this.reportVitals());
		this.scheduleChange();
	}

	stop(): void {
		this.stopped = true;
		for (const timer of this.timers) clearInterval(timer);
		if (this.changeTimer) clearTimeout(this.changeTimer);
	}

	/** One step chosen from the seeded sequence: a state change (1 in 5), vitals (2 in 5) or a reading (2 in 5). */
	step(): void {
		const roll = this.rng.next();
		if (roll < 0.2) this.changeState();
		else if (roll < 0.6) this.reportVitals();
		else this.publishReadings(1);
	}

	/** A device (never a steady one) goes offline, or comes back if it was offline. */
	changeState(): void {
		const candidates = [...this.fleet.devices.values()].filter((device) => !this.steady.has(device.id));
		const device = this.pick(candidates);
		if (!device || !this.take()) return;
		const now = this.now();
		this.fleet.setOnline(device.id, !device.online, now);
		this.record(device.online ? 'online' : 'offline', device, now);
	}

	/** An online device reports vitals: the battery charge drifts. */
	reportVitals(): void {
		const device = this.pick(this.online([...this.fleet.devices.values()]));
		if (!device || !this.take()) return;
		const now = this.now();
		const charge = Math.round(this.rng.next() * 1000) / 10;
		this.fleet.reportVitals(device.id, { device: { power: { battery: { charge } } } }, now);
		this.record('vitals', device, now);
	}

	/** One online device of each group (the sandbox first, then each product) publishes a reading; `groups` caps how many. */
	publishReadings(groups = Infinity): void {
		const all = [this.fleet.sandboxDevices(), ...this.fleet.products.map((product) => this.fleet.productDevices(product.id))];
		for (const members of all.slice(0, groups)) {
			const device = this.pick(this.online(members));
			if (!device || !this.take()) continue;
			const now = this.now();
			device.last_heard = now.toISOString();
			const celsius = Math.round((18 + this.rng.next() * 10) * 10) / 10;
			this.fleet.publish({
				name: 'demo/temperature',
				data: JSON.stringify({ celsius }),
				ttl: 60,
				private: true,
				published_at: now.toISOString(),
				coreid: device.id,
				productID: this.fleet.productOf(device)?.id,
			});
			this.record('publish', device, now);
		}
	}

	private every(ms: number, action: () => void): void {
		const timer = setInterval(action, ms);
		timer.unref();
		this.timers.push(timer);
	}

	private scheduleChange(): void {
		if (this.stopped) return;
		const wait = Math.max(MIN_PERIOD_MS, Math.round(this.changeEveryMs * (0.5 + this.rng.next())));
		this.changeTimer = setTimeout(() => {
			this.changeState();
			this.scheduleChange();
		}, wait);
		this.changeTimer.unref();
	}

	/** Counts a step; false (and the script stops) once `maxSteps` are done. */
	private take(): boolean {
		if (this.steps >= this.maxSteps) {
			this.stop();
			return false;
		}
		this.steps++;
		return true;
	}

	private online(devices: FakeDevice[]): FakeDevice[] {
		return devices.filter((device) => device.online);
	}

	private pick(devices: FakeDevice[]): FakeDevice | undefined {
		return devices.length === 0 ? undefined : devices[this.rng.int(0, devices.length - 1)];
	}

	private now(): Date {
		return new Date(this.fleet.clock.now());
	}

	private record(step: FleetStep, device: FakeDevice, now: Date): void {
		this.log.push({ step, deviceId: device.id, at: now.toISOString() });
		if (this.log.length > 1000) this.log.shift();
	}
}

function period(ms: number | undefined, fallback: number): number {
	return Math.max(MIN_PERIOD_MS, ms ?? fallback);
}
