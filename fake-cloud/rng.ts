/** A small seeded PRNG (mulberry32) so the same seed always builds the same fleet. */
export class Rng {
	private state: number;

	constructor(seed: number) {
		this.state = seed >>> 0;
	}

	/** Uniform in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** Integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	hex(length: number): string {
		let out = '';
		while (out.length < length) out += Math.floor(this.next() * 16).toString(16);
		return out;
	}

	digits(length: number): string {
		let out = '';
		while (out.length < length) out += String(Math.floor(this.next() * 10));
		return out;
	}
}
