/** Small shared pieces for the proof tests: locators, request-log summaries, waiting on a condition, a seeded PRNG. */
import type { FakeCloud, RecordedRequest } from '../../fake-cloud';
import { apiCalls } from '../harness/cloud';

export const rl = (mode: string, value: string) => ({ __rl: true, mode, value });

/** `METHOD path` of every request the nodes sent (token exchanges left out), in order. */
export function callLines(cloud: FakeCloud): string[] {
	return apiCalls(cloud).map((call) => `${call.method} ${call.decodedPath}`);
}

/** Milliseconds between consecutive recorded requests. */
export function gaps(calls: RecordedRequest[]): number[] {
	return calls.slice(1).map((call, index) => call.at - calls[index].at);
}

export { pause, until } from '../harness/wait';

/** mulberry32: small, fast, deterministic; the same seed gives the same inputs on every run. */
export function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A message a user can act on: no leftovers of a crash or of a missing value. */
export const UNCLEAR = /undefined|NaN|\[object Object\]|Cannot read propert|URI malformed|^Particle answered HTTP \d+ \||is not a function|is not defined|\n\s+at /;
