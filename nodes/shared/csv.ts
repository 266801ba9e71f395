/**
 * Vitals records -> the CSV a fleet operator opens (RFC 4180, CRLF). Pure.
 *
 * Layout: the columns an operator reads first (device, platform, time, online, last heard, battery, signal, cloud
 * disconnects, memory), then the rest of the vitals Particle documents, each with its unit in the header
 * (`battery_charge_pct`, `memory_used_bytes`), always in this order and always present (empty when a device has no
 * such vital, e.g. the cellular block on Wi-Fi), so files from different devices and runs can be appended. Particle's
 * unit fields (`strength_units`: "Always %") are not repeated on every row: the unit is in the header. Payload paths
 * Particle does not document come last, as dotted paths, sorted.
 *
 * A text cell that starts with = + - @, a tab or a carriage return is prefixed with an apostrophe, so a spreadsheet
 * shows it instead of running it as a formula. Numbers and booleans stay plain (signal strength is negative).
 */

export type CsvValue = string | number | boolean | null | undefined;

/** What the node knows of the device itself (one lookup per device), the same on each of its rows. */
export interface VitalsDeviceFacts {
	deviceId: string;
	deviceName?: string | null;
	/** Particle's platform name ("Boron"), or the numeric ID when Particle lists no name for it. */
	platform?: string | number | null;
	/** At the time of the export, not of the record. */
	online?: boolean | null;
	/** ISO-8601, at the time of the export. */
	lastHeard?: string | null;
}

/** One vitals record: when, and the payload as Particle sends it. */
export interface VitalsReading {
	/** ISO-8601 time of the record (Particle's `updated_at`). */
	timestamp: string;
	payload: unknown;
}

interface KnownColumn {
	header: string;
	/** Dotted payload paths, the first present wins (Particle's reference names one, its example another). */
	paths: readonly string[];
}

const column = (header: string, ...paths: string[]): KnownColumn => ({ header, paths });

export const DEVICE_COLUMNS = ['device_id', 'device_name', 'platform', 'time', 'online', 'last_heard'] as const;

/**
 * The vitals of Particle's "Device vitals event" reference, operator's first reads first. Units as the reference
 * gives them: charge and strength/quality in %, strengthv "Always dBm", qualityv "Always dB", round trips in
 * milliseconds, uptimes in seconds, memory in bytes.
 */
export const VITALS_COLUMNS: readonly KnownColumn[] = [
	column('battery_charge_pct', 'device.power.battery.charge'),
	column('battery_state', 'device.power.battery.state'),
	column('signal_strength_pct', 'device.network.signal.strength'),
	column('signal_quality_pct', 'device.network.signal.quality'),
	// The reference's field list names device.cloud.disconnects; its example payload has connection.disconnects.
	column('cloud_disconnects', 'device.cloud.connection.disconnects', 'device.cloud.disconnects'),
	column('memory_used_bytes', 'device.system.memory.used'),
	column('memory_total_bytes', 'device.system.memory.total'),
	column('signal_strength_dbm', 'device.network.signal.strengthv'),
	column('signal_strength_type', 'device.network.signal.strengthv_type'),
	column('signal_quality_db', 'device.network.signal.qualityv'),
	column('signal_quality_type', 'device.network.signal.qualityv_type'),
	column('signal_access_technology', 'device.network.signal.at'),
	column('power_source', 'device.power.source'),
	column('uptime_s', 'device.system.uptime'),
	column('cloud_connection_status', 'device.cloud.connection.status'),
	column('cloud_connection_attempts', 'device.cloud.connection.attempts'),
	column('cloud_disconnect_reason', 'device.cloud.connection.disconnect_reason'),
	column('cloud_connection_error', 'device.cloud.connection.error'),
	column('coap_round_trip_ms', 'device.cloud.coap.round_trip'),
	column('coap_transmit', 'device.cloud.coap.transmit'),
	column('coap_retransmit', 'device.cloud.coap.retransmit'),
	column('coap_unack', 'device.cloud.coap.unack'),
	column('publish_rate_limited', 'device.cloud.publish.rate_limited'),
	column('network_connection_status', 'device.network.connection.status'),
	column('network_disconnects', 'device.network.connection.disconnects'),
	column('network_connection_attempts', 'device.network.connection.attempts'),
	column('network_disconnect_reason', 'device.network.connection.disconnect_reason'),
	column('network_connection_error', 'device.network.connection.error'),
	column('cellular_operator', 'device.network.cellular.operator'),
	column('cellular_radio_access_technology', 'device.network.cellular.radio_access_technology'),
	column('cellular_mcc', 'device.network.cellular.cell_global_identity.mobile_country_code'),
	column('cellular_mnc', 'device.network.cellular.cell_global_identity.mobile_network_code'),
	column('cellular_lac', 'device.network.cellular.cell_global_identity.location_area_code'),
	column('cellular_cell_id', 'device.network.cellular.cell_global_identity.cell_id'),
	column('service_device_status', 'service.device.status'),
	column('service_cloud_uptime_s', 'service.cloud.uptime'),
	column('service_publish_sent', 'service.cloud.publish.sent'),
	column('service_coap_round_trip_ms', 'service.coap.round_trip'),
];

/** Particle's unit fields: one fixed unit each per the reference ("Always %", "Always dbM", "Always dB"). */
const UNIT_PATHS = [
	'device.network.signal.strength_units',
	'device.network.signal.strengthv_units',
	'device.network.signal.quality_units',
	'device.network.signal.qualityv_units',
];

/** Every header of the known part, in order. */
export const KNOWN_HEADERS: readonly string[] = [...DEVICE_COLUMNS, ...VITALS_COLUMNS.map((known) => known.header)];

const KNOWN_PATHS = new Set([...VITALS_COLUMNS.flatMap((known) => known.paths), ...UNIT_PATHS]);
const LINE_END = '\r\n';
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Dotted paths are built once per (parent path, key) and reused: the same few dozen paths recur in every record. The
 * cache lives as long as the process, so it holds at most this many paths in all; a path beyond them is built each
 * time, so payloads with endless distinct keys (or parents) cannot grow it.
 */
export const MAX_CACHED_PATHS = 10_000;
const childPaths = new Map<string, Map<string, string>>();
let cachedPaths = 0;

function childPath(prefix: string, key: string): string {
	const children = childPaths.get(prefix);
	const cached = children?.get(key);
	if (cached !== undefined) return cached;
	const path = prefix === '' ? key : `${prefix}.${key}`;
	if (cachedPaths < MAX_CACHED_PATHS) {
		if (children === undefined) childPaths.set(prefix, new Map([[key, path]]));
		else children.set(key, path);
		cachedPaths++;
	}
	return path;
}

/** How many paths the cache holds now; for tests. */
export function cachedPathCount(): number {
	return cachedPaths;
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

/**
 * One device's rows, ready to write: the known columns already as CSV text (the compact form, held until the file is
 * written), and the values of undocumented paths kept aside per row, since their columns depend on every device.
 */
export interface VitalsCsvPart {
	rows: string[];
	/** Row index -> the row's undocumented paths; only rows that have any. */
	extras: Map<number, Record<string, CsvValue>>;
	extraPaths: Set<string>;
}

function firstPresent(flat: Record<string, CsvValue>, paths: readonly string[]): CsvValue {
	for (const path of paths) {
		const value = flat[path];
		if (value !== undefined) return value;
	}
	return undefined;
}

export function vitalsCsvPart(device: VitalsDeviceFacts, readings: Iterable<VitalsReading>): VitalsCsvPart {
	const part: VitalsCsvPart = { rows: [], extras: new Map(), extraPaths: new Set() };
	// The device's own cells are the same on each of its rows: made once.
	const head = [device.deviceId, device.deviceName, device.platform, undefined, device.online, device.lastHeard].map(csvCell);
	for (const reading of readings) {
		const flat = flattenObject(reading.payload);
		head[3] = csvCell(reading.timestamp);
		const cells = [...head];
		for (const known of VITALS_COLUMNS) cells.push(csvCell(firstPresent(flat, known.paths)));
		let extra: Record<string, CsvValue> | undefined;
		for (const path in flat) {
			if (KNOWN_PATHS.has(path)) continue;
			extra ??= {};
			extra[path] = flat[path];
			part.extraPaths.add(path);
		}
		if (extra !== undefined) part.extras.set(part.rows.length, extra);
		part.rows.push(cells.join(','));
	}
	return part;
}

/** The undocumented paths of all parts, sorted, so the order never depends on the data's order. */
export function extraColumns(parts: readonly VitalsCsvPart[]): string[] {
	const paths = new Set<string>();
	for (const part of parts) for (const path of part.extraPaths) paths.add(path);
	return [...paths].sort();
}

/**
 * The header line, then one line per row of every part, each ending in CRLF. With `release`, each row is dropped
 * from its part once yielded, so the rows and the file being written are not both held whole (the parts are spent).
 */
export function* vitalsCsvLines(parts: readonly VitalsCsvPart[], release = false): Generator<string> {
	const extras = extraColumns(parts);
	yield [...KNOWN_HEADERS, ...extras].map(csvCell).join(',') + LINE_END;
	for (const part of parts) {
		for (let index = 0; index < part.rows.length; index++) {
			const row = part.rows[index];
			if (release) part.rows[index] = '';
			if (extras.length === 0) {
				yield row + LINE_END;
				continue;
			}
			const values = part.extras.get(index);
			if (release) part.extras.delete(index);
			const tail = extras.map((path) => csvCell(values?.[path])).join(',');
			yield `${row},${tail}${LINE_END}`;
		}
	}
}

/** A file name that is safe everywhere: `vitals_<device>_<from>_<to>.csv`. */
export function vitalsFileName(device: string, from: string, to: string): string {
	const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'all';
	return `vitals_${safe(device)}_${safe(from)}_${safe(to)}.csv`;
}
