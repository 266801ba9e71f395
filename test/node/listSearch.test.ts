/** The resource-locator pickers, called as the editor calls them, against the fake cloud. */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runListSearch } from '../harness/engine';

const cloud = useFakeCloud({ devices: 5, products: 2, productDevices: 120 });

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

	it('lists sandbox devices by name with their online state', async () => {
		const result = await runListSearch({
			method: 'searchDevices',
			parameters: { deviceScope: 'sandbox' },
			credentials: userToken(cloud()),
		});
		const devices = cloud().fleet.sandboxDevices();
		expect(result.results).toHaveLength(devices.length);
		for (const device of devices) {
			expect(result.results).toContainEqual({
				name: `${device.name} (${device.online ? 'online' : 'offline'})`,
				value: device.id,
			});
		}
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
