/**
 * Scripted fleet life for tests and the demo: every tick one step happens, chosen from a seeded sequence so a run is
 * repeatable: a device goes offline or comes back, a device reports drifting vitals, or a device publishes a reading.
 * Bounded in steps, timer unref'd, stopped by `stop()` or when the cloud closes.
 */
import type { Fleet } from './fleet';
import { Rng } from './rng';

export interface FleetScriptOptions {
	/** Time between steps (default 5000 ms). */
	everyMs?: number;
	/** The script stops by itself after this many steps (default 100,000). */
	maxSteps?: number;
	seed?: number;
}

export type FleetStep = 'offline' | 'online' | 'vitals' | 'publish';

export class FleetScript {
	private readonly rng: Rng;
	private readonly timer: NodeJS.Timeout;
	private readonly maxSteps: number;
	steps = 0;
	readonly log: Array<{ step: FleetStep; deviceId: string; at: string }> = [];

	constructor(
		private readonly fleet: Fleet,
		options: FleetScriptOptions = {},
	) {
		this.rng = new Rng(options.seed ?? 7);
		this.maxSteps = options.maxSteps ?? 100_000;
		this.timer = setInterval(() => this.step(), Math.max(5, options.everyMs ?? 5000));
		this.timer.unref();
	}

	stop(): void {
		clearInterval(this.timer);
	}

	/** One step of fleet life; public so tests can drive it without waiting. */
	step(): void {
		if (this.steps >= this.maxSteps) return this.stop();
		this.steps++;
		const devices = [...this.fleet.devices.values()];
		if (devices.length === 0) return;
		const device = devices[this.rng.int(0, devices.length - 1)];
		const roll = this.rng.next();
		const now = new Date(this.fleet.clock.now());
		let step: FleetStep;
		if (roll < 0.2) {
			step = device.online ? 'offline' : 'online';
			this.fleet.setOnline(device.id, !device.online, now);
		} else if (!device.online) {
			step = 'online';
			this.fleet.setOnline(device.id, true, now);
		} else if (roll < 0.6) {
			step = 'vitals';
			const charge = Math.round(this.rng.next() * 1000) / 10;
			this.fleet.reportVitals(device.id, { device: { power: { battery: { charge } } } }, now);
		} else {
			step = 'publish';
			device.last_heard = now.toISOString();
			const temperature = Math.round((18 + this.rng.next() * 10) * 10) / 10;
			this.fleet.publish({
				name: 'demo/temperature',
				data: JSON.stringify({ celsius: temperature }),
				ttl: 60,
				private: true,
				published_at: now.toISOString(),
				coreid: device.id,
				productID: this.fleet.productOf(device)?.id,
			});
		}
		this.log.push({ step, deviceId: device.id, at: now.toISOString() });
		if (this.log.length > 1000) this.log.shift();
	}
}
