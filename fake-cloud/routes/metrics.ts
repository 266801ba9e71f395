// Reference: Cloud API > Fleet Health > Get online devices metrics; Get event traffic health metrics; Get integration traffic health metrics; Get cloud function call health metrics; Get cloud variable request health metrics
/**
 * A product's fleet health over a time range, in buckets (`start_date`, `end_date`, `bucket_size` > 15 s, default
 * 900), filtered by product firmware version, Device OS version or group. Each bucket is `{ time, ...counts }`, time
 * the start of the bucket. Counted from what the fake really saw where it keeps a record:
 * - online: devices with a session during the bucket (from `last_handshake_at` to `last_heard`, or to now if online);
 * - events: events the product's devices published (`fleet.publishedEvents`, API publishes left out);
 * - integrations: the product's webhook attempts (each integration keeps its last 10, so older ones are not counted);
 * - functions: the calls the devices executed (`success`; the fake keeps no record of refused calls);
 * - variables: SEEDED, not observed: the fake keeps no record of variable reads, so each bucket gets numbers made
 *   from the product and the bucket's time, the same on every read.
 * "Keys with a value of 0 will be omitted" for integrations, functions and variables, as the reference says.
 */
import { accessibleProduct } from '../access';
import { badRequest } from '../errors';
import { queryValue } from '../fields';
import type { FakeDevice, FakeProduct } from '../fleet';
import { ok } from '../http';
import { integrationsOf } from '../integrations';
import { authed, type RequestContext, type Route } from '../router';

const DEFAULT_BUCKET_SECONDS = 900;
/** No documented maximum; a bound so a mistaken range cannot make the fake build millions of buckets (unconfirmed). */
const MAX_BUCKETS = 10_000;

interface Range {
	start: number;
	end: number;
	sizeMs: number;
}

type Counts = Record<string, number>;

interface MetricQuery {
	ctx: RequestContext;
	product: FakeProduct;
	devices: FakeDevice[];
	bucket: { start: number; end: number };
}

function dateQuery(ctx: RequestContext, name: string): number {
	const text = queryValue(ctx, name);
	if (text === undefined || text === '') return ctx.now();
	const at = Date.parse(text);
	if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) throw badRequest(`${name} must be an ISO8601 date`); // (text unconfirmed)
	return at;
}

function rangeOf(ctx: RequestContext): Range {
	const start = dateQuery(ctx, 'start_date');
	const end = dateQuery(ctx, 'end_date');
	if (start > end) throw badRequest('start_date must not be after end_date'); // (text unconfirmed)
	const sizeText = queryValue(ctx, 'bucket_size');
	const size = sizeText === undefined ? DEFAULT_BUCKET_SECONDS : Number(sizeText);
	// "Number of seconds for each bucket ... Must be greater than 15."
	if (!/^\d+$/.test(sizeText ?? '900') || !(size > 15)) throw badRequest('bucket_size must be a whole number of seconds greater than 15'); // (text unconfirmed)
	const sizeMs = size * 1000;
	// Buckets start on multiples of their size, as the reference's hourly examples do.
	const first = Math.floor(start / sizeMs) * sizeMs;
	if ((end - first) / sizeMs + 1 > MAX_BUCKETS) throw badRequest(`The range holds more than ${MAX_BUCKETS} buckets`); // (text unconfirmed)
	return { start: first, end, sizeMs };
}

/** The product's devices that pass `product_fw`, `device_os_version` and `device_group`. */
function filteredDevices(ctx: RequestContext, product: FakeProduct): FakeDevice[] {
	const firmware = queryValue(ctx, 'product_fw');
	if (firmware !== undefined && !/^\d+$/.test(firmware)) throw badRequest('product_fw must be a firmware version number'); // (text unconfirmed)
	const deviceOs = queryValue(ctx, 'device_os_version');
	const group = queryValue(ctx, 'device_group');
	return ctx.fleet
		.productDevices(product.id)
		.filter(
			(device) =>
				(firmware === undefined || device.firmware_version === Number(firmware)) &&
				(deviceOs === undefined || device.system_firmware_version === deviceOs) &&
				(group === undefined || device.groups.includes(group)),
		);
}

const within = (iso: string | null | undefined, { start, end }: { start: number; end: number }): boolean => {
	const at = iso ? Date.parse(iso) : NaN;
	return at >= start && at < end;
};

/** Had a session during the bucket: from its handshake to when it was last heard (to now while online). */
function onlineDuring(device: FakeDevice, { start, end }: { start: number; end: number }, now: number): boolean {
	if (start > now || device.last_handshake_at === null) return false;
	const from = Date.parse(device.last_handshake_at);
	const to = device.online ? now : Date.parse(device.last_heard ?? device.last_handshake_at);
	return from < end && to >= start;
}

/** A number from 0 to `spread - 1` made from the text alone. */
function seeded(text: string, spread: number): number {
	let hash = 2166136261;
	for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
	return hash % spread;
}

/** Without the counts that are 0: "keys with a value of 0 will be omitted". */
const nonZero = (counts: Counts): Counts => Object.fromEntries(Object.entries(counts).filter(([, count]) => count !== 0));

const metrics: Array<{ path: string; key: string; scope: string; count(query: MetricQuery): Counts }> = [
	{
		path: 'online',
		key: 'online',
		scope: 'metrics.online:get',
		count: ({ ctx, devices, bucket }) => ({ count: devices.filter((device) => onlineDuring(device, bucket, ctx.now())).length }),
	},
	{
		path: 'events',
		key: 'events',
		scope: 'metrics.events:get',
		count: ({ ctx, devices, bucket }) => {
			const ids = new Set(devices.map((device) => device.id));
			return { received: ctx.fleet.publishedEvents.filter((event) => ids.has(event.coreid) && within(event.published_at, bucket)).length };
		},
	},
	{
		path: 'integration',
		key: 'integrations',
		scope: 'metrics.integrations:get',
		count: ({ ctx, product, devices, bucket }) => {
			const ids = new Set(devices.map((device) => device.id));
			const logs = integrationsOf(ctx.fleet)
				.integrations.filter((integration) => integration.owner.kind === 'product' && integration.owner.productId === product.id)
				.flatMap((integration) => integration.logs)
				.filter((log) => ids.has(log.event.coreid) && within(log.time, bucket));
			const success = logs.filter((log) => log.response !== undefined && log.response.status >= 200 && log.response.status < 300).length;
			return nonZero({ success, failure: logs.length - success });
		},
	},
	{
		path: 'functions',
		key: 'functions',
		scope: 'metrics.functions:get',
		count: ({ devices, bucket }) => nonZero({ success: devices.flatMap((device) => device.calls).filter((call) => within(call.at, bucket)).length }),
	},
	{
		path: 'variables',
		key: 'variables',
		scope: 'metrics.variables:get',
		// SEEDED numbers (see above): the fake records no variable reads.
		count: ({ ctx, product, devices, bucket }) => {
			if (bucket.start > ctx.now() || devices.length === 0) return {};
			const seed = `${product.id}/${bucket.start}/${devices.length}`;
			return nonZero({ success: seeded(`${seed}/s`, devices.length * 3 + 1), failure: seeded(`${seed}/f`, 3), offline: seeded(`${seed}/o`, 2) });
		},
	},
];

export const metricsRoutes: Route[] = metrics.map(({ path, key, scope, count }) =>
	authed('GET', `/v1/products/:product/metrics/${path}`, (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, scope);
		const range = rangeOf(ctx);
		const devices = filteredDevices(ctx, product);
		const buckets: Array<Record<string, unknown>> = [];
		for (let start = range.start; start <= range.end; start += range.sizeMs) {
			const bucket = { start, end: start + range.sizeMs };
			buckets.push({ time: new Date(start).toISOString(), ...count({ ctx, product, devices, bucket }) });
		}
		return ok({ [key]: buckets });
	}),
);
