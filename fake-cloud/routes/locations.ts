// Reference: Cloud API > Asset Tracking > Location > Query fleet-wide locations for devices within a product; Query location for devices within a product; Query location for one device within a product
/**
 * Tracker locations. Each Tracker (platform 26 or 28) of a product has SEEDED points, made from its device ID: six
 * points ten minutes apart up to when it was last heard, near one spot, with heading, accuracy, speed and
 * temperature. Other devices have no location. Geometry is GeoJSON, coordinates `[longitude, latitude]`; the bounding
 * box corners (`rect_bl`, `rect_tr`) are "Latitude and longitude separated by comma".
 */
import { accessibleProduct, productDevice } from '../access';
import { badRequest, notFound } from '../errors';
import { queryValue } from '../fields';
import type { FakeDevice, FakeProduct } from '../fleet';
import { ok } from '../http';
import { positiveInt } from '../paging';
import { authed, type RequestContext, type Route } from '../router';

const TRACKER_PLATFORMS = new Set([26, 28]);
const POINTS = 6;
const POINT_EVERY_MS = 600_000;

export interface LocationPoint {
	time: string;
	/** GeoJSON order: longitude, latitude. */
	coordinates: [number, number];
	properties: { hd: number; acc_h: number; speed: number; temp: number };
}

export const hasLocation = (device: FakeDevice): boolean => TRACKER_PLATFORMS.has(device.platform_id);

function hash(text: string): number {
	let value = 2166136261;
	for (const char of text) value = Math.imul(value ^ char.charCodeAt(0), 16777619) >>> 0;
	return value;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** The seeded points of a Tracker, oldest first; none for other devices or one never heard from. */
export function locationPoints(device: FakeDevice): LocationPoint[] {
	if (!hasLocation(device) || device.last_heard === null) return [];
	const last = Date.parse(device.last_heard);
	const seed = hash(device.id);
	const lat = 37 + (seed % 1000) / 1000;
	const lon = -122 + ((seed >>> 10) % 1000) / 1000;
	return Array.from({ length: POINTS }, (_, index) => ({
		time: new Date(last - (POINTS - 1 - index) * POINT_EVERY_MS).toISOString(),
		coordinates: [round(lon + index * 0.002, 6), round(lat + index * 0.001, 6)],
		properties: { hd: (seed + index * 17) % 360, acc_h: 3 + ((seed >>> 3) + index) % 8, speed: round(((seed >>> 5) % 200) / 10, 1), temp: 20 + ((seed >>> 7) + index) % 10 },
	}));
}

interface PointFilter {
	range?: { start: number; end: number };
	box?: { minLat: number; minLon: number; maxLat: number; maxLon: number };
}

function latLon(ctx: RequestContext, name: string): [number, number] | undefined {
	const text = queryValue(ctx, name);
	if (text === undefined) return undefined;
	const parts = text.split(',').map((part) => Number(part.trim()));
	const [lat, lon] = parts;
	if (parts.length !== 2 || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
		throw badRequest(`${name} must be a latitude and a longitude separated by a comma`); // (text unconfirmed)
	}
	return [lat, lon];
}

function pointFilter(ctx: RequestContext): PointFilter {
	const filter: PointFilter = {};
	const range = queryValue(ctx, 'date_range');
	if (range !== undefined) {
		const dates = range.split(',').map((part) => part.trim());
		const [start, end] = dates.map((date) => (/^\d{4}-\d{2}-\d{2}/.test(date) ? Date.parse(date) : NaN));
		if (dates.length !== 2 || Number.isNaN(start) || Number.isNaN(end) || start > end) {
			throw badRequest('date_range must be a start and an end date in ISO8601, separated by a comma'); // (text unconfirmed)
		}
		filter.range = { start, end };
	}
	const bottomLeft = latLon(ctx, 'rect_bl');
	const topRight = latLon(ctx, 'rect_tr');
	if ((bottomLeft === undefined) !== (topRight === undefined)) throw badRequest('rect_bl and rect_tr go together'); // (text unconfirmed)
	if (bottomLeft && topRight) filter.box = { minLat: bottomLeft[0], minLon: bottomLeft[1], maxLat: topRight[0], maxLon: topRight[1] };
	return filter;
}

function inBox({ coordinates: [lon, lat] }: LocationPoint, box: PointFilter['box']): boolean {
	return box === undefined || (lat >= box.minLat && lat <= box.maxLat && lon >= box.minLon && lon <= box.maxLon);
}

/**
 * One device's location: its last known point ("Omitting date_range will return last known location") as a Point,
 * or its points in the range as a LineString; undefined when nothing is left after the filters.
 */
function locationJson(device: FakeDevice, product: FakeProduct, filter: PointFilter, withProperties: boolean): Record<string, unknown> | undefined {
	const all = locationPoints(device);
	const { range } = filter;
	const chosen = (range ? all.filter((point) => Date.parse(point.time) >= range.start && Date.parse(point.time) <= range.end) : all.slice(-1)).filter((point) =>
		inBox(point, filter.box),
	);
	if (chosen.length === 0) return undefined;
	const geometry = range ? { type: 'LineString', coordinates: chosen.map((point) => point.coordinates) } : { type: 'Point', coordinates: chosen[0].coordinates };
	return {
		device_id: device.id,
		product_id: product.id,
		device_name: device.name,
		groups: [...device.groups],
		gps_lock: true,
		last_heard: device.last_heard,
		timestamps: chosen.map((point) => point.time),
		online: device.online,
		geometry,
		...(withProperties ? { properties: chosen.map((point) => ({ ...point.properties })) } : {}),
	};
}

/** `groups` as the reference's String[]: repeated, `groups[]` / `groups[0]` (particle-api-js's qs), or comma-separated. */
function groupsQuery(ctx: RequestContext): string[] {
	const values = Object.entries(ctx.query)
		.filter(([key]) => /^groups(\[\d*\])?$/.test(key))
		.flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
	return values.flatMap((value) => value.split(',')).map((group) => group.trim()).filter((group) => group !== '');
}

/** The product's Trackers that pass `device_id` and `device_name` (prefixes) and `groups` (any of them). */
function matchingTrackers(ctx: RequestContext, product: FakeProduct): FakeDevice[] {
	const idPrefix = queryValue(ctx, 'device_id')?.toLowerCase();
	const namePrefix = queryValue(ctx, 'device_name');
	const groups = groupsQuery(ctx);
	return ctx.fleet
		.productDevices(product.id)
		.filter(hasLocation)
		.filter(
			(device) =>
				(idPrefix === undefined || device.id.startsWith(idPrefix)) &&
				(namePrefix === undefined || device.name.startsWith(namePrefix)) &&
				(groups.length === 0 || groups.some((group) => device.groups.includes(group))),
		);
}

export const locationRoutes: Route[] = [
	authed('GET', '/v1/products/:product/fleet_locations', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'locations:get');
		const locations = matchingTrackers(ctx, product)
			.map((device) => locationJson(device, product, {}, false))
			.filter((location) => location !== undefined);
		return ok({ locations });
	}),
	authed('GET', '/v1/products/:product/locations', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'locations:get');
		const filter = pointFilter(ctx);
		const found = matchingTrackers(ctx, product)
			.map((device) => locationJson(device, product, filter, false))
			.filter((location) => location !== undefined);
		// "Number of results per page. Defaults to 20. Maximum of 100"
		const page = positiveInt(ctx, 'page') ?? 1;
		const perPage = Math.min(positiveInt(ctx, 'per_page') ?? 20, 100);
		return ok({
			locations: found.slice((page - 1) * perPage, page * perPage),
			meta: { page, per_page: perPage, total_pages: Math.max(1, Math.ceil(found.length / perPage)), devices_found: found.length },
		});
	}),
	authed('GET', '/v1/products/:product/locations/:deviceId', (ctx, who) => {
		const product = accessibleProduct(ctx, who, ctx.params.product, 'locations:get');
		const device = productDevice(ctx.fleet, product, ctx.params.deviceId);
		const filter = pointFilter(ctx);
		if (!hasLocation(device)) throw notFound('No location for this device'); // (text unconfirmed)
		// "Properties and custom data will be returned by default."
		const location = locationJson(device, product, filter, true) ?? {
			device_id: device.id,
			product_id: product.id,
			device_name: device.name,
			groups: [...device.groups],
			timestamps: [],
			geometry: { type: filter.range ? 'LineString' : 'Point', coordinates: [] },
			properties: [],
		};
		return ok({ location, meta: {} });
	}),
];
