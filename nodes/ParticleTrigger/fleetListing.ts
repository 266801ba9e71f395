/**
 * The device list a poll judges from, read so that no device is seen twice or missed unnoticed.
 *
 * Particle sorts the product device list by last connection, newest first, by default: a device heard from while
 * the pages are read moves to page 1 and pushes another onto the next page, where it is read twice. So the list is
 * asked for in device-ID order (`sortAttr=deviceId&sortDir=asc`, documented for `GET /v1/products/:p/devices`), which
 * only a device joining or leaving can shift; each device is kept once; and a listing that changed while it was read
 * (`meta.total` or `meta.total_pages` changed between pages, a device seen twice, fewer devices than `meta.total`, a
 * short page before the last) is marked incomplete, so nothing is judged gone or offline from it.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { particleClient } from '../shared/client';
import { devicesPath, type DeviceScope } from '../shared/paths';
import { expectList, expectListIn } from '../shared/shapes';
import { MAX_PAGE_SIZE, type RateLimitGate } from '../shared/transport';
import type { ObservedDevice } from './fleetChanges';
import { inParallel } from './inParallel';

/** Pages read at once after the first one. */
export const LIST_CONCURRENCY = 4;
/** 1,000,000 devices at 100 a page: a `total_pages` beyond it is not a device list. */
const MAX_PAGES = 10_000;

export interface FleetFilters {
	/** Lower-case device ID, or undefined for every device. */
	deviceId?: string;
	/** Comma-separated group names, or undefined for every group. */
	groups?: string;
}

export interface FleetListing {
	/** Each device once, in list order. */
	devices: ObservedDevice[];
	/** False when the list changed while it was read. */
	complete: boolean;
	/** Requests sent. */
	calls: number;
	/** Devices in scope as Particle counts them (`meta.total`), when it says; for the sandbox, the list's length. */
	total?: number;
}

interface PageMeta {
	total_pages?: unknown;
	total?: unknown;
	per_page?: unknown;
}

function observed(device: IDataObject): ObservedDevice {
	return {
		id: String(device.id),
		name: typeof device.name === 'string' ? device.name : null,
		online: device.online === true || device.connected === true,
		lastHeard: typeof device.last_heard === 'string' ? device.last_heard : null,
		lastHandshakeAt: typeof device.last_handshake_at === 'string' ? device.last_handshake_at : null,
		platformId: typeof device.platform_id === 'number' ? device.platform_id : null,
	};
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined);

/** Each device once; `duplicates` says whether some came twice. */
function unique(devices: IDataObject[]): { devices: ObservedDevice[]; duplicates: boolean } {
	const seen = new Set<string>();
	const kept: ObservedDevice[] = [];
	for (const device of devices) {
		const one = observed(device);
		if (seen.has(one.id)) continue;
		seen.add(one.id);
		kept.push(one);
	}
	return { devices: kept, duplicates: kept.length !== devices.length };
}

/**
 * The fleet in scope: for a product ceil(N / 100) requests (the first page, then the rest a few at a time), for the
 * sandbox one. With `limit`, only the first page of that size (for a sample): such a listing is never complete.
 */
export async function listFleet(
	this: IPollFunctions,
	scope: DeviceScope,
	{ deviceId: onlyDevice, groups }: FleetFilters,
	gate: RateLimitGate,
	limit?: number,
): Promise<FleetListing> {
	const client = particleClient(this, { gate });
	const only = (devices: ObservedDevice[]) => (onlyDevice === undefined ? devices : devices.filter((device) => device.id === onlyDevice));
	if (scope.kind === 'sandbox') {
		// Not paginated: one answer, so only a duplicate can show a change.
		const { devices, duplicates } = unique(expectList(this, await client.get<unknown>(devicesPath(scope)), 'device list'));
		return { devices: only(devices).slice(0, limit), complete: !duplicates && limit === undefined, calls: 1, total: devices.length };
	}

	const perPage = limit === undefined ? MAX_PAGE_SIZE : Math.max(1, Math.min(limit, MAX_PAGE_SIZE));
	// `perPage` is the page-size key "List devices in a product" documents.
	const query: IDataObject = { sortAttr: 'deviceId', sortDir: 'asc', perPage };
	if (groups) query.groups = groups;
	// Particle matches `deviceId` partially; the exact device is picked below.
	if (onlyDevice) query.deviceId = onlyDevice;
	const readPage = async (page: number): Promise<{ items: IDataObject[]; meta: PageMeta }> => {
		const response = await client.get<{ meta?: PageMeta }>(devicesPath(scope), { query: { ...query, page } });
		return { items: expectListIn(this, response, 'devices', 'device list'), meta: response.meta ?? {} };
	};

	const first = await readPage(1);
	const totalPages = Math.min(count(first.meta.total_pages) ?? 1, MAX_PAGES);
	// The page size the cloud used (it may allow fewer than asked), and `total` only where it agrees with the pages:
	// `total` is optional in Particle's reference, and a count of something else must not mark every listing incomplete.
	const pageSize = count(first.meta.per_page) || first.items.length || perPage;
	const stated = count(first.meta.total);
	const total = stated !== undefined && Math.max(1, Math.ceil(stated / pageSize)) === Math.max(1, totalPages) ? stated : undefined;
	if (limit !== undefined || totalPages <= 1 || first.items.length === 0) {
		const { devices, duplicates } = unique(first.items);
		const whole = limit === undefined && !duplicates && (total === undefined || total === devices.length);
		return { devices: only(devices).slice(0, limit), complete: whole, calls: 1, total };
	}

	const pages: Array<{ items: IDataObject[]; meta: PageMeta }> = [first];
	await inParallel(
		Array.from({ length: totalPages - 1 }, (_, index) => index + 2),
		LIST_CONCURRENCY,
		async (page) => {
			pages[page - 1] = await readPage(page);
		},
	);
	const { devices, duplicates } = unique(pages.flatMap((page) => page.items));
	const steady = pages.every((page) => count(page.meta.total_pages) === count(first.meta.total_pages) && count(page.meta.total) === stated);
	const full = pages.slice(0, -1).every((page) => page.items.length === pageSize);
	const whole = (count(first.meta.total_pages) ?? 1) <= MAX_PAGES;
	const complete = whole && steady && !duplicates && full && (total === undefined || total === devices.length);
	return { devices: only(devices), complete, calls: pages.length, total };
}
