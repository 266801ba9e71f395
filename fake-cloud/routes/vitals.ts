/** Follows Particle's Cloud API reference, "Device vitals" (particle-iot/docs generated/api-service.json, Diagnostics). */
// Last, history (JSON or CSV, streamed), refresh; metadata as the older reference had it; sandbox and product twins.
import { accessibleProduct, productDevice, sandboxDevice } from '../access';
import { csvLine, valueAt } from '../csv';
import { deviceOffline, notFound } from '../errors';
import { calendarDay, queryValue } from '../fields';
import type { FakeDevice } from '../fleet';
import { ApiError, ok, streamedReply, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import { VITALS_METADATA, VITALS_RETENTION_MS, type VitalsRecord } from '../vitals';

type VitalsHandler = (ctx: RequestContext, device: FakeDevice) => Reply;

/** `/v1/diagnostics/:device<suffix>` and `/v1/products/:product/diagnostics/:device<suffix>`. */
function vitalsTwins(method: string, suffix: string, scope: string, handler: VitalsHandler): Route[] {
	return [
		authed(method, `/v1/diagnostics/:device${suffix}`, (ctx, who) => handler(ctx, sandboxDevice(ctx, who, ctx.params.device, scope))),
		authed(method, `/v1/products/:product/diagnostics/:device${suffix}`, (ctx, who) => {
			const product = accessibleProduct(ctx, who, ctx.params.product, scope);
			return handler(ctx, productDevice(ctx.fleet, product, ctx.params.device));
		}),
	];
}

export const vitalsRoutes: Route[] = [
	...vitalsTwins('GET', '/last', 'devices.diagnostics:get', last),
	// Only in the older reference ("Get device vitals metadata"); kept because clouds still answering it exist.
	...vitalsTwins('GET', '/metadata', 'devices.diagnostics.metadata:get', () => ok({ diagnostics_metadata: VITALS_METADATA })),
	...vitalsTwins('POST', '/update', 'devices.diagnostics:update', refresh),
	...vitalsTwins('GET', '', 'devices.diagnostics:get', history),
];

/**
 * "Returns the last device vitals payload sent by the device": a device that never sent any has none to return, so
 * 404 (the reference's "404 Not Found"; the body text is unconfirmed), never a made-up record.
 */
function last(ctx: RequestContext, device: FakeDevice): Reply {
	const record = ctx.fleet.vitals.lastSent(device, ctx.now());
	if (record === undefined) throw notFound('No vitals found for this device');
	return ok({ diagnostics: record });
}

/**
 * "This is an asynchronous request: the HTTP request returns immediately after the request to the device is sent",
 * answered `HTTP/1.1 202` `{ "ok": true }`. Here the device answers at once: a new last record and the
 * `spark/device/diagnostics/update` event. "It must be online": an offline device is the reference's 404.
 */
function refresh(ctx: RequestContext, device: FakeDevice): Reply {
	if (!device.online) throw deviceOffline();
	ctx.fleet.reportVitals(device.id, {}, new Date(ctx.now()));
	return ok({ ok: true }, 202);
}

const badDate = (description: string) => new ApiError(400, { error: 'bad_request', description });

/** ISO-8601 date or date-time; a date-time without an offset is taken as UTC. */
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function dateParam(ctx: RequestContext, name: string): number | undefined {
	const value = queryValue(ctx, name);
	if (value === undefined || value === '') return undefined;
	const match = ISO_8601.exec(value);
	const parsed = match && calendarDay(match[1]) !== undefined ? Date.parse(match[2] && !match[5] ? `${value}Z` : value) : NaN;
	if (Number.isNaN(parsed)) throw badDate('start_date and end_date must be ISO8601 formatted');
	return parsed;
}

/** A few minutes of slack for a client whose clock or request lags behind when it asks for exactly 30 days. */
const RETENTION_SLACK_MS = 5 * 60_000;

function history(ctx: RequestContext, device: FakeDevice): Reply {
	const now = ctx.now();
	// "start_date: Oldest diagnostic to return, inclusive", "end_date: Newest diagnostic to return, exclusive".
	// The docs give no defaults; without dates we answer everything still kept, i.e. the last 30 days (unconfirmed).
	const endDate = dateParam(ctx, 'end_date');
	const to = endDate ?? now + 1;
	const from = dateParam(ctx, 'start_date') ?? Math.min(to, now - VITALS_RETENTION_MS);
	if (from > to) throw badDate('start_date must be before end_date');
	// The reference's own words (sic).
	if (from < now - VITALS_RETENTION_MS - RETENTION_SLACK_MS) throw badDate('start_date must not be more than than 30 days ago');
	const records = ctx.fleet.vitals.history(device, from, to, now);
	if (/\btext\/csv\b/i.test(String(ctx.headers.accept ?? ''))) {
		return streamedReply('text/csv; charset=utf-8', csvPieces(records, ctx.fleet.vitals.columns(device, from, to)));
	}
	return streamedReply('application/json; charset=utf-8', jsonPieces(records));
}

function* jsonPieces(records: Iterable<VitalsRecord>): Generator<string> {
	yield '{"diagnostics":[';
	let separator = '';
	for (const record of records) {
		yield separator + JSON.stringify(record);
		separator = ',';
	}
	yield ']}';
}

/**
 * "Optionally set [Accept] to text/csv to return historic device vitals as a CSV": the reference documents the CSV,
 * not its header. Conservative: the record's documented field names (`deviceID`, `updated_at`), then the documented
 * payload fields as dotted paths in the reference's order, then any other path a reported record added.
 */
function* csvPieces(records: Iterable<VitalsRecord>, columns: readonly string[]): Generator<string> {
	yield csvLine(['deviceID', 'updated_at', ...columns]);
	// Walking known paths is several times faster than flattening every record.
	const paths = columns.map((column) => column.split('.'));
	for (const record of records) yield csvLine([record.deviceID, record.updated_at, ...paths.map((path) => valueAt(record.payload, path))]);
}
