import {
	byteLength,
	checkDeviceDependentSize,
	checkDeviceId,
	checkMaxBytes,
	checkName,
	checkNotEmpty,
	checkNumber,
	checkOneOf,
	checkProductIdOrSlug,
	checkText,
	checkTextList,
	checkVitalsRange,
	describeValue,
	textListOf,
	textOf,
	toNumber,
	EVENT_DATA_LIMIT,
	EVENT_DATA_MAX_BYTES,
	FUNCTION_ARGUMENT_LIMIT,
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
		expect(EVENT_DATA_MAX_BYTES).toBe(16384);
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

describe('values from expressions', () => {
	it('describes a value without "undefined", "NaN" or "[object Object]"', () => {
		expect([undefined, null, '', '  ', ' x ', Number.NaN, -2, Infinity, true, [], {}].map(describeValue)).toEqual([
			'nothing', 'nothing', 'an empty text', 'an empty text', '"x"', 'not a number', '-2', 'Infinity', 'true', 'a list', 'an object',
		]);
		expect(describeValue('y'.repeat(100))).toBe(`"${'y'.repeat(40)}"`);
	});

	it('reads numbers and decimal text only', () => {
		expect([5, ' 5 ', '-2.5', '1e3', '.5'].map(toNumber)).toEqual([5, 5, -2.5, 1000, 0.5]);
		for (const bad of ['', ' ', 'x', '0x10', 'Infinity', '5 apples', null, undefined, true, [5], { n: 5 }]) {
			expect(toNumber(bad)).toBeNaN();
		}
	});

	it('checks whole numbers with a minimum, naming the field and what came', () => {
		const limit = (value: unknown) => checkNumber(value, 'Limit', { whole: true, min: 1 })?.message ?? null;
		expect([1, 50, '5', ' 7 ', Number.MAX_SAFE_INTEGER].map(limit)).toEqual([null, null, null, null, null]);
		expect(limit(0)).toBe('Limit must be a whole number of 1 or more (got 0)');
		expect(limit(-2)).toBe('Limit must be a whole number of 1 or more (got -2)');
		expect(limit(2.5)).toBe('Limit must be a whole number of 1 or more (got 2.5)');
		expect(limit(Number.NaN)).toBe('Limit must be a whole number of 1 or more (got not a number)');
		expect(limit(Infinity)).toBe('Limit must be a whole number of 1 or more (got Infinity)');
		expect(limit(1e21)).toBe('Limit must be a whole number of 1 or more (got 1e+21)');
		expect(limit({})).toBe('Limit must be a whole number of 1 or more (got an object)');
		expect(limit([3])).toBe('Limit must be a whole number of 1 or more (got a list)');
		expect(limit('x')).toBe('Limit must be a whole number of 1 or more (got "x")');
	});

	it('checks plain numbers, with or without a minimum', () => {
		expect(checkNumber(-20.5, 'Threshold')).toBeNull();
		expect(checkNumber('20', 'Threshold')).toBeNull();
		expect(checkNumber('soon', 'Threshold')?.message).toBe('Threshold must be a number (got "soon")');
		expect(checkNumber(0, 'Minutes', { min: 0 })).toBeNull();
		expect(checkNumber(-1, 'Minutes', { min: 0 })?.message).toBe('Minutes must be a number of 0 or more (got -1)');
	});

	it('takes numbers and true/false as text, refuses lists and objects', () => {
		expect([undefined, null, 'a', 12, false].map(textOf)).toEqual(['', '', 'a', '12', 'false']);
		expect(textOf([])).toBeUndefined();
		expect(textOf({})).toBeUndefined();
		expect(checkText(12, 'Device ID')).toBeNull();
		expect(checkText(['a'], 'Device ID', 'a single device ID')?.message).toBe('Device ID must be a single device ID (got a list)');
		expect(checkText({}, 'Vitals Path')?.message).toBe('Vitals Path must be text (got an object)');
	});

	it('reads lists from comma-separated text or a list of texts', () => {
		expect(textListOf(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
		expect(textListOf(['a', ' b ', 3, ''])).toEqual(['a', 'b', '3']);
		expect(textListOf(undefined)).toEqual([]);
		expect(textListOf({})).toBeUndefined();
		expect(textListOf(['a', { b: 1 }])).toBeUndefined();
		expect(checkTextList(['a', ['b']], 'Groups', 'group names')?.message).toBe('Groups must be group names (got a list holding a list)');
		expect(checkTextList({}, 'Groups', 'group names')?.message).toBe('Groups must be group names (got an object)');
	});

	it('checks fixed choices and empty text', () => {
		expect(checkOneOf('below', 'Operator', ['above', 'below'])).toBeNull();
		expect(checkOneOf('equals', 'Operator', ['above', 'below'])?.message).toBe('Operator must be "above" or "below" (got "equals")');
		expect(checkOneOf(3, 'Event', ['a', 'b', 'c'])?.message).toBe('Event must be one of "a", "b", "c" (got 3)');
		expect(checkNotEmpty(' ', 'Vitals Path')?.message).toBe('Vitals Path is empty');
		expect(checkNotEmpty('x', 'Vitals Path')).toBeNull();
	});
});

describe('sizes that depend on the device (issue #16)', () => {
	it('takes the field-limits table: 622 on every device from 0.8.0, 1024 / 16384 at most', () => {
		expect([FUNCTION_ARGUMENT_LIMIT.everyDevice, FUNCTION_ARGUMENT_LIMIT.largest]).toEqual([622, 1024]);
		expect([EVENT_DATA_LIMIT.everyDevice, EVENT_DATA_LIMIT.largest]).toEqual([622, 16384]);
	});

	it.each([
		[FUNCTION_ARGUMENT_LIMIT, 622, 'fits'],
		[FUNCTION_ARGUMENT_LIMIT, 623, 'notice'],
		[FUNCTION_ARGUMENT_LIMIT, 1024, 'notice'],
		[FUNCTION_ARGUMENT_LIMIT, 1025, 'refused'],
		[EVENT_DATA_LIMIT, 622, 'fits'],
		[EVENT_DATA_LIMIT, 900, 'notice'],
		[EVENT_DATA_LIMIT, 16384, 'notice'],
		[EVENT_DATA_LIMIT, 16385, 'refused'],
	])('%# %d bytes: %s', (limit, bytes, outcome) => {
		const check = checkDeviceDependentSize('a'.repeat(bytes), limit);
		const seen = check.violation ? 'refused' : check.notice ? 'notice' : 'fits';
		expect(seen).toBe(outcome);
	});

	it('counts UTF-8 bytes, names the largest size, and says what the notice depends on', () => {
		expect(checkDeviceDependentSize('é'.repeat(513), FUNCTION_ARGUMENT_LIMIT).violation?.message).toBe(
			'Argument is 1026 bytes; Particle accepts at most 1024 bytes',
		);
		const notice = checkDeviceDependentSize('é'.repeat(312), FUNCTION_ARGUMENT_LIMIT).notice;
		expect(notice).toMatch(/^Argument is longer than 622 bytes\. It was sent, but whether the device takes it depends on its platform and Device OS: /);
		expect(notice).toMatch(/864/);
		expect(notice).toMatch(/Device > Get shows a device's platform_id and system_firmware_version\.$/);
		expect(checkDeviceDependentSize('x'.repeat(2000), EVENT_DATA_LIMIT).notice).toMatch(/6\.3\.0 or later that use the CloudEvent API take up to 16384 bytes/);
	});
});
