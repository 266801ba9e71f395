/**
 * Location > Get Last Location, Get Location History and Get Fleet Locations through n8n's engine against the fake
 * cloud: path and query (date range, bounding box, filters), the items (one per point, latitude and longitude from
 * GeoJSON's [longitude, latitude]), pairing, and bad input refused before sending.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FakeDevice } from '../../fake-cloud';
import { locationPoints } from '../../fake-cloud/routes/locations';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

// Product 10002 is the Asset Tracker product (platform 26).
const cloud = useFakeCloud({ devices: 2, products: 2, productDevices: 6 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const tracker = () => cloud().fleet.products[1];
const heard = (): FakeDevice[] => cloud().fleet.productDevices(tracker().id).filter((device) => device.last_heard !== null);
const base = (operation: string) => ({ resource: 'location', operation, product: rl('list', String(tracker().id)) });

function expectCalls(...expected: Array<{ path: string; query?: Record<string, string | string[]> }>): void {
	expect(apiCalls(cloud()).map(({ method, path, query, body, authorization }) => ({ method, path, query, body, authorization }))).toEqual(
		expected.map((call) => ({ method: 'GET', query: {}, body: undefined, ...call, authorization: `Bearer ${cloud().tokens.user}` })),
	);
}

async function direct(path: string): Promise<IDataObject> {
	const response = await fetch(`${cloud().url}${path}`, { headers: { Authorization: `Bearer ${cloud().tokens.user}` } });
	return (await response.json()) as IDataObject;
}

it('Get Last Location: no date range; the item is Particle’s location', async () => {
	const [device] = heard();
	const result = await runNode({ parameters: { ...base('getLast'), device: rl('list', device.id) }, credentials: user() });
	const path = `/v1/products/${tracker().id}/locations/${device.id}`;
	expectCalls({ path });
	expect(result.items).toEqual([{ json: (await direct(path)).location, pairedItem: { item: 0 } }]);
	expect(result.items[0].json).toMatchObject({ device_id: device.id, geometry: { type: 'Point', coordinates: locationPoints(device)[5].coordinates } });
});

it('Get Last Location by device name: the product’s device list is read first (exact match)', async () => {
	const [, device] = heard();
	await runNode({ parameters: { ...base('getLast'), device: rl('name', device.name) }, credentials: user() });
	const calls = apiCalls(cloud());
	expect(calls.map((call) => call.path)).toEqual([`/v1/products/${tracker().id}/devices`, `/v1/products/${tracker().id}/locations/${device.id}`]);
});

it('Get Location History: date_range, the bounding box, one item per point', async () => {
	const [device] = heard();
	const points = locationPoints(device);
	const [lon, lat] = points[2].coordinates;
	const result = await runNode({
		parameters: {
			...base('getHistory'),
			device: rl('id', device.id),
			startDate: points[1].time,
			endDate: points[4].time,
			filters: { rectBl: `${lat - 1}, ${lon - 1}`, rectTr: `${lat + 1},${lon + 1}` },
		},
		credentials: user(),
	});
	expectCalls({
		path: `/v1/products/${tracker().id}/locations/${device.id}`,
		query: { date_range: `${points[1].time},${points[4].time}`, rect_bl: `${lat - 1},${lon - 1}`, rect_tr: `${lat + 1},${lon + 1}` },
	});
	expect(result.items.map((item) => item.json)).toEqual(
		points.slice(1, 5).map((point) => ({
			device_id: device.id,
			device_name: device.name,
			product_id: tracker().id,
			time: point.time,
			latitude: point.coordinates[1],
			longitude: point.coordinates[0],
			properties: point.properties,
		})),
	);
});

it('Get Location History unsplit: Particle’s one location with its LineString', async () => {
	const [device] = heard();
	const points = locationPoints(device);
	const result = await runNode({
		parameters: { ...base('getHistory'), device: rl('id', device.id), startDate: points[0].time, endDate: points[5].time, splitIntoPoints: false },
		credentials: user(),
	});
	expect(result.items).toHaveLength(1);
	expect(result.items[0].json).toMatchObject({ geometry: { type: 'LineString', coordinates: points.map((point) => point.coordinates) }, timestamps: points.map((point) => point.time) });
});

it('Get Fleet Locations: one item per Tracker; Particle’s filters sent, groups one value each', async () => {
	const all = await runNode({ parameters: { ...base('getFleet'), returnAll: true }, credentials: user() });
	expect(all.items.map((item) => item.json.device_id)).toEqual(heard().map((device) => device.id));
	cloud().clearRequests();
	const located = heard();
	const filtered = await runNode({
		parameters: { ...base('getFleet'), limit: 10, filters: { device_name: ` ${located[0].name.slice(0, 8)} `, groups: 'beta, outdoor' } },
		credentials: user(),
	});
	const [call] = apiCalls(cloud());
	expect(call.path).toBe(`/v1/products/${tracker().id}/fleet_locations`);
	// The groups as n8n spells an array in a query: the indexed form particle-api-js sends too (qs).
	expect(call.query).toEqual({ device_name: located[0].name.slice(0, 8), 'groups[0]': 'beta', 'groups[1]': 'outdoor' });
	const expected = located.filter((device) => device.name.startsWith(located[0].name.slice(0, 8)) && device.groups.some((group) => ['beta', 'outdoor'].includes(group)));
	expect(expected.length).toBeGreaterThan(0);
	expect(expected.length).toBeLessThan(located.length);
	expect(filtered.items.map((item) => item.json.device_id)).toEqual(expected.map((device) => device.id));
});

it('refuses bad input before sending: a corner that is not one, one corner only, corners swapped, no or reversed dates', async () => {
	const [device] = heard();
	const result = await runNode({
		parameters: {
			...base('getHistory'),
			device: rl('id', device.id),
			startDate: '={{ $json.start }}',
			endDate: '={{ $json.end }}',
			filters: { rectBl: '={{ $json.bl }}', rectTr: '={{ $json.tr }}' },
		},
		credentials: user(),
		items: [
			{ start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', bl: '95,10', tr: '96,11' },
			{ start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', bl: '10,10', tr: '' },
			{ start: '2026-01-01T00:00:00Z', end: '2026-01-02T00:00:00Z', bl: '20,20', tr: '10,10' },
			{ start: '', end: '', bl: '', tr: '' },
			{ start: '2026-01-02T00:00:00Z', end: '2026-01-01T00:00:00Z', bl: '', tr: '' },
		],
		continueOnFail: true,
	});
	expect(result.items.map((item) => item.json.error)).toEqual([
		'Bottom Left Corner must be a latitude (-90 to 90) and a longitude (-180 to 180) separated by a comma, such as 30.5,30.0 (got "95,10")',
		'A bounding box needs both corners: Bottom Left Corner and Top Right Corner',
		'Bottom Left Corner must be south-west of Top Right Corner',
		'Start Date is empty',
		'Start Date must be before End Date (2026-01-02T00:00:00.000Z is not before 2026-01-01T00:00:00.000Z)',
	]);
	expect(apiCalls(cloud())).toHaveLength(0);
});

it('a device without location (not a Tracker) is a 404 from Particle', async () => {
	const wifi = cloud().fleet.productDevices(cloud().fleet.products[0].id)[0];
	const result = await runNode({
		parameters: { resource: 'location', operation: 'getLast', product: rl('id', String(cloud().fleet.products[0].id)), device: rl('id', wifi.id) },
		credentials: user(),
	});
	expect(result.error?.httpCode).toBe('404');
});
