import { shapeDevice, withPlatformName } from '../../nodes/Particle/actions/device/simplify';
import { PLATFORM_NAMES, platformName } from '../../nodes/shared/platforms';

describe('platformName', () => {
	// Particle's documented IDs (particle-iot/docs deviceRestore.json "platforms" and @particle/device-constants).
	it.each([
		[6, 'Photon'],
		[8, 'P1'],
		[10, 'Electron'],
		[12, 'Argon'],
		[13, 'Boron'],
		[14, 'Xenon'],
		[23, 'B-SoM'],
		[25, 'B5-SoM'],
		[26, 'Tracker'],
		[28, 'Tracker-M'],
		[32, 'Photon 2 / P2'],
		[35, 'M-SoM'],
		[37, 'Electron 2'],
	])('names platform %p %p', (id, name) => {
		expect(platformName(id)).toBe(name);
	});

	it('gives no name to an ID Particle does not list, or to what is not an integer', () => {
		for (const unknown of [1, 7, 9, 99, 1000, -6, 6.5, Number.NaN]) expect(platformName(unknown)).toBeUndefined();
		expect(platformName('6')).toBeUndefined();
		expect(platformName(undefined)).toBeUndefined();
		expect(platformName(null)).toBeUndefined();
	});

	it('does not read names off the object prototype', () => {
		expect(platformName(Number('0x0'))).toBe('Core');
		expect(Object.isFrozen(PLATFORM_NAMES)).toBe(true);
		for (const name of Object.values(PLATFORM_NAMES)) expect(name).toMatch(/^[A-Z][A-Za-z0-9 /-]+$/);
	});

	it('names a device object next to its platform_id, null for an ID not listed, and leaves one without it alone', () => {
		expect(withPlatformName({ id: 'a', platform_id: 13, name: 'b' })).toEqual({ id: 'a', platform_id: 13, platform: 'Boron', name: 'b' });
		expect(Object.keys(withPlatformName({ id: 'a', platform_id: 13, name: 'b' }))).toEqual(['id', 'platform_id', 'platform', 'name']);
		expect(withPlatformName({ platform_id: 99 })).toEqual({ platform_id: 99, platform: null });
		expect(withPlatformName({ id: 'a' })).toEqual({ id: 'a' });
		expect(shapeDevice({ id: 'a', platform_id: 6, secret_field: 1 }, true)).toEqual({ id: 'a', platform_id: 6, platform: 'Photon' });
		expect(shapeDevice({ id: 'a', platform_id: 6, other: 1 }, false)).toEqual({ id: 'a', platform_id: 6, platform: 'Photon', other: 1 });
	});
});
