/**
 * The fake cloud's time: what its simulated data is made from (seeded last_heard, vitals history, token expiry,
 * report and SIM-usage dates, the rate-limit window). Real time by default, because the demo and the particle-api-js
 * tests live in it; a test pins it so nothing it checks depends on the date or the hour it runs at.
 */

/** A number pins the clock there (it stands still until moved); a function is read as the clock. */
export type ClockSource = number | (() => number);

// Looked up on each read rather than captured, so anything that replaces Date.now (fake timers) is followed.
const realTime = (): number => Date.now();

export class Clock {
	private read: () => number = realTime;
	private offset = 0;

	constructor(source: ClockSource = realTime) {
		this.set(source);
	}

	/** ms since the epoch. */
	now(): number {
		return this.read() + this.offset;
	}

	/** Replaces the clock; any earlier `advance` is forgotten. */
	set(source: ClockSource): void {
		if (typeof source === 'number') {
			if (!Number.isFinite(source)) throw new RangeError('fake cloud: the clock must be a finite number of ms');
			this.read = () => source;
		} else {
			this.read = source;
		}
		this.offset = 0;
	}

	/** Forward only: simulated time going back would let expired tokens live again. */
	advance(ms: number): void {
		if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError('fake cloud: the clock only moves forward (ms >= 0)');
		this.offset += ms;
	}
}
