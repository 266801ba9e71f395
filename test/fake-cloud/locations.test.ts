/** Direct HTTP tests of Tracker locations: one device (last known, history, bounding box), the fleet, the paged query. */
import Particle from 'particle-api-js';

import { startFakeCloud, type FakeCloud, type FakeDevice } from '../../fake-cloud';
import { locationPoints } from '../../fake-cloud/routes/locations';
import { call, prop } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	// Product 10002 is the Asset Tracker (platform 26); 10003 a Boron product, without locations.
	cloud = await startFakeCloud({ devices: 2, products: 3, productDevices: 6 });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
const tracker = () => cloud.fleet.products[1];
const trackers = () => cloud.fleet.productDevices(tracker().id);
const heard = (): FakeDevice => trackers().find((device) => device.last_heard !== null) as FakeDevice;
type Json = Record<string, unknown>;

test('one device, no date range: its last known location as a GeoJSON Point, with properties', async () => {
	const device = heard();
	const points = locationPoints(device);
	const response = await call(cloud, 'GET', `/v1/products/${tracker().id}/locations/${device.id}`, user());
	expect(response.status).toBe(200);
	expect(response.body).toEqual({
		location: {
			device_id: device.id,
			product_id: tracker().id,
			device_name: device.name,
			groups: device.groups,
			gps_lock: true,
			last_heard: device.last_heard,
			timestamps: [points[5].time],
			online: device.online,
			geometry: { type: 'Point', coordinates: points[5].coordinates },
			properties: [points[5].properties],
		},
		meta: {},
	});
	expect(points[5].time).toBe(device.last_heard);
});

test('history: the points in the date range as a LineString; a bounding box narrows them', async () => {
	const device = heard();
	const points = locationPoints(device);
	const range = `${points[1].time},${points[3].time}`;
	const history = await call(cloud, 'GET', `/v1/products/${tracker().id}/locations/${device.id}?date_range=${range}`, user());
	const location = prop(history, 'location') as Json;
	expect(location.timestamps).toEqual(points.slice(1, 4).map((point) => point.time));
	expect(location.geometry).toEqual({ type: 'LineString', coordinates: points.slice(1, 4).map((point) => point.coordinates) });
	const [lon, lat] = points[2].coordinates;
	const box = `rect_bl=${lat - 0.0001},${lon - 0.0001}&rect_tr=${lat + 0.0001},${lon + 0.0001}`;
	const boxed = await call(cloud, 'GET', `/v1/products/${tracker().id}/locations/${device.id}?date_range=${range}&${box}`, user());
	expect((prop(boxed, 'location') as Json).timestamps).toEqual([points[2].time]);
});

test('refused: a bad date range or corner, a device of another product, a device without location', async () => {
	const device = heard();
	const base = `/v1/products/${tracker().id}/locations/${device.id}`;
	for (const query of ['date_range=yesterday', 'date_range=2026-01-02T00:00:00Z,2026-01-01T00:00:00Z', 'rect_bl=95,0&rect_tr=96,1', 'rect_bl=1,1']) {
		expect([query, (await call(cloud, 'GET', `${base}?${query}`, user())).status]).toEqual([query, 400]);
	}
	const boron = cloud.fleet.productDevices(cloud.fleet.products[2].id)[0];
	expect((await call(cloud, 'GET', `/v1/products/${tracker().id}/locations/${boron.id}`, user())).status).toBe(404);
	expect((await call(cloud, 'GET', `/v1/products/${cloud.fleet.products[2].id}/locations/${boron.id}`, user())).status).toBe(404);
});

test('fleet locations: one entry per Tracker, filtered by ID and name prefixes and groups', async () => {
	const all = await call(cloud, 'GET', `/v1/products/${tracker().id}/fleet_locations`, user());
	const locations = prop(all, 'locations') as Json[];
	const located = trackers().filter((device) => device.last_heard !== null);
	expect(locations.map((location) => location.device_id)).toEqual(located.map((device) => device.id));
	expect(locations[0]).toMatchObject({ geometry: { type: 'Point' }, timestamps: [located[0].last_heard] });
	expect(locations[0].properties).toBeUndefined();

	const named = await call(cloud, 'GET', `/v1/products/${tracker().id}/fleet_locations?device_name=${encodeURIComponent(located[0].name)}`, user());
	expect((prop(named, 'locations') as Json[]).map((location) => location.device_id)).toEqual([located[0].id]);
	const byId = await call(cloud, 'GET', `/v1/products/${tracker().id}/fleet_locations?device_id=${located[1].id.slice(0, 20)}`, user());
	expect((prop(byId, 'locations') as Json[]).map((location) => location.device_id)).toEqual([located[1].id]);
	const beta = located.filter((device) => device.groups.includes('beta')).map((device) => device.id);
	for (const query of ['groups=beta', 'groups[]=beta', 'groups%5B0%5D=beta']) {
		const grouped = await call(cloud, 'GET', `/v1/products/${tracker().id}/fleet_locations?${query}`, user());
		expect([query, (prop(grouped, 'locations') as Json[]).map((location) => location.device_id)]).toEqual([query, beta]);
	}
	const scoped = cloud.issueToken({ kind: 'apiUser', productId: tracker().id, scopes: ['devices:list'] });
	expect((await call(cloud, 'GET', `/v1/products/${tracker().id}/fleet_locations`, { token: scoped })).status).toBe(400);
});

test('particle-api-js getProductDeviceLocations and getProductLocations', async () => {
	const particle = new Particle({ baseUrl: cloud.url });
	const device = heard();
	const points = locationPoints(device);
	const one = await particle.getProductDeviceLocations({ product: tracker().id, deviceId: device.id, dateRange: `${points[0].time},${points[5].time}`, auth: cloud.tokens.user });
	expect((one.body as unknown as { location: Json }).location).toMatchObject({ device_id: device.id, geometry: { type: 'LineString' } });
	const many = await particle.getProductLocations({ product: tracker().id, groups: ['beta'], perPage: 1, page: 1, auth: cloud.tokens.user });
	expect((many.body as unknown as { meta: Json }).meta).toMatchObject({ page: 1, per_page: 1 });
	expect((many.body as unknown as { locations: Json[] }).locations.every((location) => (location.groups as string[]).includes('beta'))).toBe(true);
});
