/**
 * What the simulated firmware exposes: cloud functions with real argument handling, and seeded variables.
 */
import type { FakeFunction, FakeVariable } from './fleet';
import type { Rng } from './rng';

/** "r,g,b" with each part an integer 0-255 → 1, anything else → 0. */
const setColor: FakeFunction = (arg) => {
	const parts = arg.split(',').map((p) => p.trim());
	const valid = parts.length === 3 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
	return valid ? 1 : 0;
};

/** "on" / "off" → 1, anything else → -1 (the usual firmware convention for a bad argument). */
const led: FakeFunction = (arg) => (/^(on|off)$/i.test(arg.trim()) ? 1 : -1);

const reboot: FakeFunction = (_arg, device, now) => {
	device.last_handshake_at = new Date(now).toISOString();
	return 0;
};

/** Tinker style: "D0".."D7" or "A0".."A7", then HIGH or LOW → 1; bad pin or value → -1. */
const digitalwrite: FakeFunction = (arg) => {
	const match = /^\s*([DA])([0-7])\s*,\s*(HIGH|LOW)\s*$/.exec(arg);
	return match ? 1 : -1;
};

export function standardFunctions(): Record<string, FakeFunction> {
	return { setColor, led, reboot, digitalwrite };
}

export function seedVariables(rng: Rng): Record<string, FakeVariable> {
	return {
		temperature: { type: 'double', value: Math.round((18 + rng.next() * 10) * 100) / 100 },
		humidity: { type: 'double', value: Math.round((30 + rng.next() * 40) * 10) / 10 },
		status: { type: 'string', value: rng.pick(['ok', 'idle', 'busy']) },
		enabled: { type: 'bool', value: rng.next() < 0.7 },
		counter: { type: 'int32', value: rng.int(0, 1000) },
	};
}
