/**
 * What the Particle Cloud would refuse, checked before anything is sent. Pure: a check returns a violation that
 * names the field, the limit and the size, or null.
 * Sources: Particle's "Overview of API field limits" (Device OS reference, Cloud functions): names 64 characters
 * from Device OS 0.8.0; data sizes by platform and Device OS version.
 */

export const DEVICE_ID_PATTERN = /^[0-9a-f]{24}$/i;
/** Device, variable, function and event names. */
export const NAME_MAX_LENGTH = 64;

/**
 * A size that depends on the device: every device on Device OS 0.8.0 or later takes `everyDevice` bytes, some take
 * up to `largest`. Above `largest` nothing can take it, so it is refused before sending; in between it is sent,
 * with a notice.
 */
export interface DeviceDependentLimit {
	field: string;
	everyDevice: number;
	largest: number;
	/** Who takes what, as a sentence. */
	byDevice: string;
}

/** 622 bytes on Device OS 0.8.0-2.x, 864 on Gen 2 with 3.x, 1024 on Gen 3 and P2 from 3.0 (and on every device from 6.3.0). */
export const FUNCTION_ARGUMENT_LIMIT: DeviceDependentLimit = {
	field: 'Argument',
	everyDevice: 622,
	largest: 1024,
	byDevice:
		'Gen 3 and P2 devices (Argon, Boron, B-Series, Tracker, P2, Photon 2) on Device OS 3.0 or later take up to 1024 bytes, Gen 2 devices (Photon, P1, Electron, E-Series) on 3.x up to 864, and Device OS before 3.0 only 622',
};

/** As function arguments, and up to 16384 bytes for devices on Device OS 6.3.0 or later that use the CloudEvent API. */
export const EVENT_DATA_LIMIT: DeviceDependentLimit = {
	field: 'Data',
	everyDevice: 622,
	largest: 16384,
	byDevice:
		'devices on Device OS 6.3.0 or later that use the CloudEvent API take up to 16384 bytes, other Gen 3 and P2 devices on 3.0 or later 1024, Gen 2 devices on 3.x 864, and Device OS before 3.0 only 622',
};

/** The largest function argument any device takes. */
export const FUNCTION_ARGUMENT_MAX_BYTES = FUNCTION_ARGUMENT_LIMIT.largest;
/** The largest event data any device takes. */
export const EVENT_DATA_MAX_BYTES = EVENT_DATA_LIMIT.largest;

export interface SizeCheck {
	/** Set when no device takes it: refuse before sending. */
	violation: LimitViolation | null;
	/** Set when some devices take it and others do not: send it, and say so. */
	notice?: string;
}

/** A size checked against what devices take: refused above the largest, sent with a notice above the smallest. */
export function checkDeviceDependentSize(value: string, limit: DeviceDependentLimit): SizeCheck {
	const size = byteLength(value);
	if (size > limit.largest) {
		// The largest any device takes: nothing would accept more.
		return { violation: violation(limit.field, `is ${size} bytes; Particle accepts at most ${limit.largest} bytes`) };
	}
	if (size <= limit.everyDevice) return { violation: null };
	return {
		violation: null,
		notice: `${limit.field} is longer than ${limit.everyDevice} bytes. It was sent, but whether the device takes it depends on its platform and Device OS: ${limit.byDevice}. Device > Get shows a device's platform_id and system_firmware_version.`,
	};
}

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

/**
 * How a value that an expression produced reads in a message: enough to recognise it, never "[object Object]",
 * "undefined" or "NaN" (which read like a crash of the node itself).
 */
export function describeValue(value: unknown): string {
	if (value === undefined || value === null) return 'nothing';
	if (typeof value === 'string') return value.trim() === '' ? 'an empty text' : `"${value.trim().slice(0, 40)}"`;
	if (typeof value === 'number') return Number.isNaN(value) ? 'not a number' : String(value);
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Decimal notation only: "5", "-2.5", "1e3"; not "0x10", "Infinity" or "". */
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A number, or the number a numeric text (from an expression) stands for; NaN for anything else. */
export function toNumber(value: unknown): number {
	if (typeof value === 'number') return value;
	if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return Number(value.trim());
	return Number.NaN;
}

export interface NumberRule {
	/** Smallest value accepted. */
	min?: number;
	/** Whether only whole numbers are accepted. */
	whole?: boolean;
}

/** A number field: a number or numeric text, finite, whole when asked, at least `min`. */
export function checkNumber(value: unknown, field: string, { min, whole = false }: NumberRule = {}): LimitViolation | null {
	const number = toNumber(value);
	const fits = (whole ? Number.isSafeInteger(number) : Number.isFinite(number)) && (min === undefined || number >= min);
	if (fits) return null;
	const kind = whole ? 'a whole number' : 'a number';
	return violation(field, `must be ${kind}${min !== undefined ? ` of ${min} or more` : ''} (got ${describeValue(value)})`);
}

/**
 * Text as the user meant it: a number or true/false from an expression is its text, nothing is empty text;
 * a list or an object is not text (undefined).
 */
export function textOf(value: unknown): string | undefined {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return undefined;
}

/** A text field: refuses a list or an object; `accepted` says what the field takes (default "text"). */
export function checkText(value: unknown, field: string, accepted = 'text'): LimitViolation | null {
	return textOf(value) === undefined ? violation(field, `must be ${accepted} (got ${describeValue(value)})`) : null;
}

/**
 * A list field that also takes comma-separated text: the trimmed, non-empty entries, or undefined when the value
 * (or an entry of a list) is neither text nor a list of texts.
 */
export function textListOf(value: unknown): string[] | undefined {
	const entries = Array.isArray(value) ? value.map(textOf) : textOf(value)?.split(',');
	if (entries === undefined || entries.some((entry) => entry === undefined)) return undefined;
	return (entries as string[]).map((entry) => entry.trim()).filter((entry) => entry !== '');
}

export function checkTextList(value: unknown, field: string, accepted: string): LimitViolation | null {
	if (textListOf(value) !== undefined) return null;
	const shown = Array.isArray(value)
		? `a list holding ${describeValue((value as unknown[]).find((entry) => textOf(entry) === undefined))}`
		: describeValue(value);
	return violation(field, `must be ${accepted} (got ${shown})`);
}

/** One of a few fixed values (an options field an expression may have set to anything). */
export function checkOneOf(value: unknown, field: string, allowed: readonly string[], shownAs = allowed.map((entry) => `"${entry}"`)): LimitViolation | null {
	if (typeof value === 'string' && allowed.includes(value)) return null;
	const choices = shownAs.length === 2 ? `${shownAs[0]} or ${shownAs[1]}` : `one of ${shownAs.join(', ')}`;
	return violation(field, `must be ${choices} (got ${describeValue(value)})`);
}

export function checkNotEmpty(value: string, field: string): LimitViolation | null {
	return value.trim() === '' ? violation(field, 'is empty') : null;
}
