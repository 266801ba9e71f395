/**
 * Particle platform IDs -> the hardware's name, so an item can say "Photon" next to `platform_id: 6`.
 *
 * Source: Particle's own platform list (particle-iot/docs `src/assets/files/deviceRestore.json` "platforms" for the
 * IDs and the display names of Particle's `@particle/device-constants`, which Particle's tools and docs share).
 * Only platforms Particle lists as public; an ID not here gets no name rather than a guess.
 */
export const PLATFORM_NAMES: Readonly<Record<number, string>> = Object.freeze({
	0: 'Core',
	6: 'Photon',
	8: 'P1',
	10: 'Electron',
	12: 'Argon',
	13: 'Boron',
	14: 'Xenon',
	15: 'E-SoM-X',
	23: 'B-SoM',
	25: 'B5-SoM',
	26: 'Tracker',
	28: 'Tracker-M',
	32: 'Photon 2 / P2',
	35: 'M-SoM',
	37: 'Electron 2',
	42: 'Tachyon',
	43: 'Linux',
});

/** The name of a platform ID ("Photon" for 6), or undefined for an ID Particle does not list (or not a number). */
export function platformName(platformId: unknown): string | undefined {
	if (typeof platformId !== 'number' || !Number.isInteger(platformId)) return undefined;
	return Object.prototype.hasOwnProperty.call(PLATFORM_NAMES, platformId) ? PLATFORM_NAMES[platformId] : undefined;
}
