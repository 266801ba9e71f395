import {
	byteLength,
	checkDeviceId,
	checkMaxBytes,
	checkName,
	checkProductIdOrSlug,
	checkVitalsRange,
	EVENT_DATA_MAX_BYTES,
	FUNCTION_ARGUMENT_MAX_BYTES,
	NAME_MAX_LENGTH,
} from '../../nodes/shared/limits';

describe('limits', () => {
	it('accepts 24-hex device IDs in either case, and names the field and the size otherwise', () => {
		expect(checkDeviceId('0123456789abcdef01234567')).toBeNull();
		expect(checkDeviceId('0123456789ABCDEF01234567')).toBeNull();
		expect(checkDeviceId('0123456789abcdef0123456')?.message).toBe(
			'Device ID must be 24 hexadecimal characters (got 23 characters)',
		);
		expect(checkDeviceId('0123456789abcdef0123456z')).not.toBeNull();
		expect(checkDeviceId('../0123456789abcdef01234')).not.toBeNull();
	});

	it('limits names to 64 characters', () => {
		expect(NAME_MAX_LENGTH).toBe(64);
		expect(checkName('a'.repeat(64), 'Event name')).toBeNull();
		expect(checkName('a'.repeat(65), 'Event name')?.message).toBe(
			'Event name is 65 characters long; Particle allows at most 64',
		);
		expect(checkName(' ', 'Event name')?.message).toBe('Event name is empty');
	});

	it('counts bytes, not characters', () => {
		expect(byteLength('é')).toBe(2);
		expect(FUNCTION_ARGUMENT_MAX_BYTES).toBe(1024);
		expect(EVENT_DATA_MAX_BYTES).toBe(1024);
		expect(checkMaxBytes('a'.repeat(1024), 'Argument', 1024)).toBeNull();
		expect(checkMaxBytes('é'.repeat(513), 'Argument', 1024)?.message).toBe(
			'Argument is 1026 bytes; Particle accepts at most 1024 bytes',
		);
	});

	it('accepts product IDs and slugs only', () => {
		expect(checkProductIdOrSlug('12345')).toBeNull();
		expect(checkProductIdOrSlug('environment-monitor-12345')).toBeNull();
		for (const bad of ['0', '-1', 'Has Space', 'a/b', '../x', 'UPPER', '']) {
			expect(checkProductIdOrSlug(bad)).not.toBeNull();
		}
	});
});

describe('vitals date range', () => {
	const now = Date.parse('2026-11-22T12:00:00.000Z');
	const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
	it('accepts a range inside the last 30 days', () => {
		expect(checkVitalsRange(daysAgo(29.9), daysAgo(0), now)).toBeNull();
	});
	it('names the problem otherwise', () => {
		expect(checkVitalsRange(daysAgo(1), daysAgo(2), now)?.message).toBe('Start Date must be before End Date');
		expect(checkVitalsRange(daysAgo(1), daysAgo(1), now)?.message).toBe('Start Date must be before End Date');
		expect(checkVitalsRange(daysAgo(31), daysAgo(0), now)?.message).toBe('Start Date is 31.0 days ago; Particle keeps vitals for 30 days');
		expect(checkVitalsRange('soon', daysAgo(0), now)?.message).toBe('Start Date "soon" is not a date');
		expect(checkVitalsRange(daysAgo(1), 'later', now)?.message).toBe('End Date "later" is not a date');
	});
});
