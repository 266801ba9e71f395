/**
 * What the Particle Cloud would refuse, checked before anything is sent. Pure: a check returns a violation that
 * names the field, the limit and the size, or null.
 * Sources: Particle's "API field limits" (Device OS >= 0.8.0 names; Gen 3 and P2 data sizes).
 */

export const DEVICE_ID_PATTERN = /^[0-9a-f]{24}$/i;
/** Device, variable, function and event names. */
export const NAME_MAX_LENGTH = 64;
/** Function arguments: 1024 bytes on Gen 3 / P2 (Device OS >= 3.0); older Gen 2 firmware accepts 622. */
export const FUNCTION_ARGUMENT_MAX_BYTES = 1024;
/** Event data published through the API: 1024 bytes is the size every current device can receive. */
export const EVENT_DATA_MAX_BYTES = 1024;

export interface LimitViolation {
	field: string;
	message: string;
}

function violation(field: string, message: string): LimitViolation {
	return { field, message: `${field} ${message}` };
}

export function byteLength(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

export function checkDeviceId(value: string, field = 'Device ID'): LimitViolation | null {
	if (DEVICE_ID_PATTERN.test(value)) return null;
	return violation(
		field,
		`must be 24 hexadecimal characters (got ${value.length} character${value.length === 1 ? '' : 's'})`,
	);
}

export function checkName(value: string, field: string): LimitViolation | null {
	if (value.trim() === '') return violation(field, 'is empty');
	if (value.length > NAME_MAX_LENGTH) {
		return violation(field, `is ${value.length} characters long; Particle allows at most ${NAME_MAX_LENGTH}`);
	}
	return null;
}

export function checkMaxBytes(value: string, field: string, maxBytes: number): LimitViolation | null {
	const size = byteLength(value);
	if (size <= maxBytes) return null;
	return violation(field, `is ${size} bytes; Particle accepts at most ${maxBytes} bytes`);
}

/** Product IDs are positive integers; slugs are lower-case words and numbers joined by dashes, with a letter. */
export const PRODUCT_ID_OR_SLUG_PATTERN = /^(?:[1-9][0-9]*|(?=[a-z0-9-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*)$/;

export function checkProductIdOrSlug(value: string, field = 'Product'): LimitViolation | null {
	if (PRODUCT_ID_OR_SLUG_PATTERN.test(value)) return null;
	return violation(field, 'must be a product ID (a number) or a product slug such as "my-product-1234"');
}

/** Particle keeps about a month of vitals history; `start_date` may not be more than 30 days back. */
export const VITALS_HISTORY_MAX_DAYS = 30;
const DAY_MS = 86_400_000;

/** A date range for vitals history: both dates ISO-8601, start before end, start within the kept history. */
export function checkVitalsRange(start: string, end: string, now = Date.now()): LimitViolation | null {
	const startMs = Date.parse(start);
	const endMs = Date.parse(end);
	if (Number.isNaN(startMs)) return violation('Start Date', `"${start.slice(0, 40)}" is not a date`);
	if (Number.isNaN(endMs)) return violation('End Date', `"${end.slice(0, 40)}" is not a date`);
	if (startMs >= endMs) return violation('Start Date', 'must be before End Date');
	const oldest = now - VITALS_HISTORY_MAX_DAYS * DAY_MS;
	if (startMs < oldest) {
		const days = ((now - startMs) / DAY_MS).toFixed(1);
		return violation('Start Date', `is ${days} days ago; Particle keeps vitals for ${VITALS_HISTORY_MAX_DAYS} days`);
	}
	return null;
}
