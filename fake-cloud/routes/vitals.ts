/**
 * Device vitals (diagnostics): last, history (JSON or CSV), refresh, metadata; sandbox and product twins.
 */
import { flattenForCsv } from '../csv';
import { accessibleProduct, productDevice, sandboxDevice } from '../access';
import { deviceOffline } from '../errors';
import { queryValue } from '../fields';
import type { FakeDevice } from '../fleet';
import { ApiError, ok, type Reply } from '../http';
import { authed, type RequestContext, type Route } from '../router';
import type { TokenRecord } from '../tokens';
import { VITALS_METADATA, VITALS_RETENTION_MS } from '../vitals';

type VitalsHandler = (ctx: RequestContext, device: FakeDevice) => Reply;

/** `/v1/diagnostics/:device<suffix>` and `/v1/products/:product/diagnostics/:device<suffix>`. */
function vitalsTwins(method: string, suffix: string, scope: string, handler: VitalsHandler): Route[] {
	return [
		authed(method, `/v1/diagnostics/:device${suffix}`, (ctx, who: TokenRecord) => handler(ctx, sandboxDevice(ctx, who, ctx.params.device, scope))),
		authed(method, `/v1/products/:product/diagnostics/:device${suffix}`, (ctx, who) => {
			const product = accessibleProduct(ctx, who, ctx.params.product, scope);
			return handler(ctx, productDevice(ctx.fleet, product, ctx.params.device));
		}),
	];
}

export const vitalsRoutes: Route[] = [
	...vitalsTwins('GET', '/last', 'devices.diagnostics:get', (ctx, device) => ok({ diagnostics: ctx.fleet.vitals.last(device, ctx.now()) })),
	...vitalsTwins('GET', '/metadata', 'devices.diagnostics.metadata:get', () => ok({ diagnostics_metadata: VITALS_METADATA })),
	...vitalsTwins('POST', '/update', 'devices.diagnostics:update', refresh),
	...vitalsTwins('GET', '', 'devices.diagnostics:get', history),
];

function refresh(ctx: RequestContext, device: FakeDevice): Reply {
	if (!device.online) throw deviceOffline();
	const record = ctx.fleet.reportVitals(device.id, {}, new Date(ctx.now()));
	return ok({ ok: true, updated_at: record.updated_at });
}

const BAD_DATES = () =>
	new ApiError(400, { error: 'bad_request', description: 'start_date and end_date must be ISO8601 formatted' });

function dateParam(ctx: RequestContext, name: string, fallback: number): number {
	const value = queryValue(ctx, name);
	if (value === undefined || value === '') return fallback;
	const parsed = Date.parse(value);
	if (Number.isNaN(parsed) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw BAD_DATES();
	return parsed;
}

function history(ctx: RequestContext, device: FakeDevice): Reply {
	const now = ctx.now();
	const to = dateParam(ctx, 'end_date', now);
	// Without a start the docs give no default; a day back keeps answers small (unconfirmed).
	const from = dateParam(ctx, 'start_date', to - 86_400_000);
	if (from > to) throw new ApiError(400, { error: 'bad_request', description: 'start_date must be before end_date' });
	// A little slack for clocks that differ by a few minutes.
	if (from < now - VITALS_RETENTION_MS - 3_600_000) {
		throw new ApiError(400, { error: 'bad_request', description: 'start_date must be within the last 30 days' });
	}
	const records = ctx.fleet.vitals.history(device, from, to);
	if (/text\/csv/i.test(String(ctx.headers.accept ?? ''))) {
		return { status: 200, text: csvOf(records), headers: { 'content-type': 'text/csv; charset=utf-8' } };
	}
	return ok({ diagnostics: [...records] });
}

/** The cloud's own CSV (unconfirmed format): device_id, updated_at, then the dotted payload paths of the first record. */
function csvOf(records: Iterable<{ updated_at: string; deviceID: string; payload: Record<string, unknown> }>): string {
	const lines: string[] = [];
	let columns: string[] | undefined;
	for (const record of records) {
		const flat = flattenForCsv(record.payload);
		columns ??= Object.keys(flat).sort();
		if (lines.length === 0) lines.push(['device_id', 'updated_at', ...columns].join(','));
		lines.push([record.deviceID, record.updated_at, ...columns.map((column) => csvCell(flat[column]))].join(','));
	}
	return lines.length === 0 ? 'device_id,updated_at\n' : lines.join('\n') + '\n';
}

function csvCell(value: unknown): string {
	if (value === undefined || value === null) return '';
	const text = String(value);
	return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}


