/** Direct HTTP tests of the Device OS versions list and one version, and particle-api-js's calls for them. */
import Particle from 'particle-api-js';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { DEVICE_OS_VERSIONS } from '../../fake-cloud/routes/deviceOs';
import { call, prop } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 2, products: 1, productDevices: 1 });
});
afterAll(() => cloud.close());

const user = () => ({ token: cloud.tokens.user });
type Json = Record<string, unknown>;

test('the list: newest first, with the fields of Particle’s tooling, paged', async () => {
	const response = await call(cloud, 'GET', '/v1/device-os/versions', user());
	expect(response.status).toBe(200);
	const versions = prop(response, 'versions') as Json[];
	expect(versions.map((entry) => entry.version)).toEqual(DEVICE_OS_VERSIONS.map((entry) => entry.version));
	expect(versions[1]).toEqual({
		version: '6.2.1',
		internal_version: 6201,
		state: 'released',
		supported_platforms: expect.arrayContaining([12, 13, 26, 32]),
		base_url: `${cloud.url}/v1/firmware/device-os/v6.2.1`,
	});
	expect(prop(response, 'meta')).toEqual({ page: 1, per_page: 25, total_pages: 1, total: DEVICE_OS_VERSIONS.length });
	const second = await call(cloud, 'GET', '/v1/device-os/versions?page=2&per_page=3', user());
	expect((prop(second, 'versions') as Json[]).map((entry) => entry.version)).toEqual(['5.9.0', '5.8.0', '4.2.0']);
});

test('platform_id and internal_version filter; a platform that is not a number is refused', async () => {
	const photon = await call(cloud, 'GET', '/v1/device-os/versions?platform_id=6', user());
	expect((prop(photon, 'versions') as Json[]).map((entry) => entry.version)).toEqual(['2.3.1', '1.5.2']);
	const exact = await call(cloud, 'GET', '/v1/device-os/versions?internal_version=5900', user());
	expect((prop(exact, 'versions') as Json[]).map((entry) => entry.version)).toEqual(['5.9.0']);
	expect((await call(cloud, 'GET', '/v1/device-os/versions?platform_id=boron', user())).status).toBe(400);
	expect((await call(cloud, 'GET', '/v1/device-os/versions')).status).toBe(401);
});

test('one version, with its modules for a platform; unknown version or platform 404', async () => {
	const plain = await call(cloud, 'GET', '/v1/device-os/versions/5.9.0', user());
	expect(plain.body).toMatchObject({ version: '5.9.0', internal_version: 5900 });
	expect((plain.body as Json).modules).toBeUndefined();
	const boron = await call(cloud, 'GET', '/v1/device-os/versions/5.9.0?platform_id=13', user());
	expect(boron.body).toMatchObject({ platform_id: 13, modules: [{ filename: 'boron-bootloader@5.9.0.bin' }, { filename: 'boron-system-part1@5.9.0.bin' }] });
	expect((await call(cloud, 'GET', '/v1/device-os/versions/9.9.9', user())).status).toBe(404);
	expect((await call(cloud, 'GET', '/v1/device-os/versions/2.3.1?platform_id=13', user())).status).toBe(404);
});

test('particle-api-js listDeviceOsVersions and getDeviceOsVersion', async () => {
	const particle = new Particle({ baseUrl: cloud.url });
	const list = await particle.listDeviceOsVersions({ platformId: 26, perPage: 2, page: 1, auth: cloud.tokens.user });
	expect((list.body as unknown as { versions: Json[] }).versions.map((entry) => entry.version)).toEqual(['6.3.0-rc.1', '6.2.1']);
	const one = await particle.getDeviceOsVersion({ version: '6.2.1', platformId: 26, auth: cloud.tokens.user });
	expect(one.body).toMatchObject({ version: '6.2.1', platform_id: 26 });
});
