/** The resource-locator pickers, called as the editor calls them, against the fake cloud. */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runListSearch } from '../harness/engine';

const cloud = useFakeCloud({ devices: 5, products: 2, productDevices: 120 });

/** The names Particle gives the fake fleet's platforms (its docs' platform list). */
const PLATFORMS: Record<number, string> = { 6: 'Photon', 12: 'Argon', 13: 'Boron', 23: 'B-SoM', 26: 'Tracker', 32: 'Photon 2 / P2' };

describe('listSearch', () => {
	it('lists the products, filtered by name, slug or ID', async () => {
		const all = await runListSearch({ method: 'searchProducts', parameters: {}, credentials: userToken(cloud()) });
		expect(all.results).toHaveLength(2);
		const [first] = cloud().fleet.products;
		expect(all.results).toContainEqual({ name: `${first.name} (${first.id})`, value: String(first.id) });

		const filtered = await runListSearch({
			method: 'searchProducts',
			parameters: {},
			credentials: userToken(cloud()),
			filter: first.slug.toUpperCase(),
		});
		expect(filtered.results).toEqual([{ name: `${first.name} (${first.id})`, value: String(first.id) }]);
		expect(apiCalls(cloud()).every((call) => call.path === '/v1/products')).toBe(true);
	});

	it('names sandbox devices by their name alone (what n8n stores), with platform and online state in the description', async () => {
		const result = await runListSearch({
			method: 'searchDevices',
			parameters: { deviceScope: 'sandbox' },
			credentials: userToken(cloud()),
		});
		const devices = cloud().fleet.sandboxDevices();
		expect(result.results).toHaveLength(devices.length);
		for (const device of devices) {
			expect(result.results).toContainEqual({
				name: device.name,
				value: device.id,
				description: `${PLATFORMS[device.platform_id]}, ${device.online ? 'online' : 'offline'}`,
			});
		}
		// n8n keeps the picked item's name in the workflow: a state in it would outlive the state.
		for (const item of result.results) expect(item.name).not.toMatch(/online|offline|\(/);
		const offline = devices.find((device) => !device.online)!;
		cloud().setOnline(offline.id, true);
		const again = await runListSearch({ method: 'searchDevices', parameters: { deviceScope: 'sandbox' }, credentials: userToken(cloud()) });
		expect(again.results.find((item) => item.value === offline.id)).toMatchObject({ name: offline.name, description: expect.stringMatching(/, online$/) });
		cloud().setOnline(offline.id, false);
	});

	it('pages through product devices and filters by name on the Particle side', async () => {
		const product = cloud().fleet.products[0];
		const parameters = { deviceScope: 'product', product: { __rl: true, mode: 'list', value: String(product.id) } };
		const first = await runListSearch({ method: 'searchDevices', parameters, credentials: userToken(cloud()) });
		expect(first.results).toHaveLength(100);
		expect(first.paginationToken).toBe('2');
		const second = await runListSearch({
			method: 'searchDevices',
			parameters,
			credentials: userToken(cloud()),
			paginationToken: first.paginationToken as string,
		});
		expect(second.results).toHaveLength(20);
		expect(second.paginationToken).toBeUndefined();
		const listed = cloud().fleet.productDevices(product.id)[0];
		expect([...first.results, ...second.results].find((item) => item.value === listed.id)).toEqual({
			name: listed.name,
			value: listed.id,
			description: `${PLATFORMS[listed.platform_id]}, ${listed.online ? 'online' : 'offline'}`,
		});

		cloud().clearRequests();
		const target = cloud().fleet.productDevices(product.id)[7];
		const named = await runListSearch({
			method: 'searchDevices',
			parameters,
			credentials: userToken(cloud()),
			filter: String(target.name),
		});
		expect(named.results.map((result) => result.value)).toContain(target.id);
		expect(apiCalls(cloud())[0].query).toMatchObject({ deviceName: String(target.name) });
	});

	it('lists the product\'s devices for product-only operations, which have no "Devices In" field', async () => {
		const product = cloud().fleet.products[0];
		const result = await runListSearch({
			method: 'searchDevices',
			parameters: { resource: 'device', operation: 'setDevelopment', product: { __rl: true, mode: 'id', value: String(product.id) } },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${product.id}/devices`);
		expect(result.results).toHaveLength(100);
	});
});
