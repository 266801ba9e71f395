/**
 * Vitals records -> CSV (RFC 4180). Pure. Two passes over the records: the first collects the column union, the
 * second writes lines one at a time, so no second copy of the data is held besides the text being produced.
 *
 * A text cell that starts with = + - @, a tab or a carriage return is prefixed with an apostrophe, so a spreadsheet
 * shows it instead of running it as a formula. Numbers and booleans stay plain (signal strength is negative).
 */

export type CsvValue = string | number | boolean | null | undefined;

export interface VitalsRecord {
	deviceId: string;
	deviceName?: string | null;
	/** ISO-8601 time of the record (Particle's `updated_at`). */
	timestamp: string;
	/** The vitals payload object; flattened to dotted paths. */
	payload: unknown;
}

export const FIXED_COLUMNS = ['device_id', 'device_name', 'timestamp'] as const;
const LINE_END = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;

/** Dotted paths are built once per (parent path, key) and reused: the same few dozen paths recur in every record. */
const childPaths = new Map<string, Map<string, string>>();

function childPath(prefix: string, key: string): string {
	let children = childPaths.get(prefix);
	if (children === undefined) {
		children = new Map();
		childPaths.set(prefix, children);
	}
	let path = children.get(key);
	if (path === undefined) {
		path = prefix === '' ? key : `${prefix}.${key}`;
		// Bounded, so hostile payloads with endless distinct keys cannot grow it without limit.
		if (children.size < 10_000) children.set(key, path);
	}
	return path;
}

/** `{ a: { b: 1 } }` -> `{ 'a.b': 1 }`; arrays become JSON text (they have no stable columns). */
export function flattenObject(value: unknown, prefix = '', into: Record<string, CsvValue> = {}): Record<string, CsvValue> {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const record = value as Record<string, unknown>;
		for (const key in record) {
			if (Object.prototype.hasOwnProperty.call(record, key)) flattenObject(record[key], childPath(prefix, key), into);
		}
		return into;
	}
	if (prefix === '') return into;
	const type = typeof value;
	if (value === null || type === 'string' || type === 'number' || type === 'boolean') into[prefix] = value as CsvValue;
	else if (Array.isArray(value)) into[prefix] = JSON.stringify(value);
	else into[prefix] = String(value);
	return into;
}

export function csvCell(value: CsvValue): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The fixed columns, then every dotted vitals path of any record, sorted so the order never depends on the data. */
export function vitalsColumns(records: Iterable<VitalsRecord>): string[] {
	const paths = new Set<string>();
	for (const record of records) {
		for (const path of Object.keys(flattenObject(record.payload))) paths.add(path);
	}
	return [...FIXED_COLUMNS, ...[...paths].sort()];
}

/** The header line, then one line per record, each ending in CRLF. */
export function* vitalsCsvLines(records: Iterable<VitalsRecord>, columns: string[]): Generator<string> {
	yield columns.map(csvCell).join(',') + LINE_END;
	const vitalsColumnsOnly = columns.slice(FIXED_COLUMNS.length);
	for (const record of records) {
		const flat = flattenObject(record.payload);
		const cells = [record.deviceId, record.deviceName ?? '', record.timestamp, ...vitalsColumnsOnly.map((column) => flat[column])];
		yield cells.map(csvCell).join(',') + LINE_END;
	}
}

/** A file name that is safe everywhere: `vitals_<device>_<from>_<to>.csv`. */
export function vitalsFileName(device: string, from: string, to: string): string {
	const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'all';
	return `vitals_${safe(device)}_${safe(from)}_${safe(to)}.csv`;
}
