/** The variable and function pickers, called as the editor calls them, against the fake cloud. */
import { apiCalls, productClient, useFakeCloud, userToken } from '../harness/cloud';
import { runListSearch } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, productDevices: 6 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => String(cloud().productClient.productId);
const onlineSandboxDevice = () => cloud().fleet.sandboxDevices().find((device) => device.online)!;
const TYPE_NAMES: Record<string, string> = { int32: 'int', double: 'double', string: 'string', bool: 'bool' };

describe('variable and function pickers', () => {
	it("lists a sandbox device's variables with their types, from one read of the device", async () => {
		const device = onlineSandboxDevice();
		const result = await runListSearch({
			method: 'searchVariables',
			parameters: { resource: 'variable', operation: 'get', deviceScope: 'sandbox', device: rl('list', device.id) },
			credentials: userToken(cloud()),
		});
		const expected = Object.entries(device.variables)
			.map(([name, variable]) => ({ name, value: name, description: TYPE_NAMES[variable.type] }))
			.sort((a, b) => a.name.localeCompare(b.name));
		expect(expected.length).toBeGreaterThan(0);
		expect(result.results).toEqual(expected);
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/devices/${device.id}`]);
	});

	it('reads the device a Console link (By URL) names, not the link', async () => {
		const device = onlineSandboxDevice();
		const result = await runListSearch({
			method: 'searchVariables',
			parameters: { resource: 'variable', operation: 'get', deviceScope: 'sandbox', device: rl('url', `https://console.particle.io/devices/${device.id}?tab=events`) },
			credentials: userToken(cloud()),
		});
		expect(result.results.map((entry) => entry.value)).toEqual(Object.keys(device.variables).sort((a, b) => a.localeCompare(b)));
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/devices/${device.id}`]);
	});

	it("lists a product device's functions through the product, filtered", async () => {
		const device = cloud().fleet.productDevices(productId()).find((candidate) => candidate.online)!;
		const parameters = { resource: 'function', operation: 'call', deviceScope: 'product', product: rl('id', productId()), device: rl('id', device.id) };
		const all = await runListSearch({ method: 'searchFunctions', parameters, credentials: productClient(cloud()) });
		expect(all.results).toEqual(Object.keys(device.functions).sort((a, b) => a.localeCompare(b)).map((name) => ({ name, value: name })));
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([`/v1/products/${productId()}/devices/${device.id}`]);

		const filtered = await runListSearch({ method: 'searchFunctions', parameters, credentials: productClient(cloud()), filter: 'COLOR' });
		expect(filtered.results.map((entry) => entry.value)).toEqual(['setColor']);
	});

	it('finds a product device given by name in the product list first (product routes take IDs only)', async () => {
		const device = cloud().fleet.productDevices(productId()).find((candidate) => candidate.online)!;
		const result = await runListSearch({
			method: 'searchFunctions',
			parameters: { deviceScope: 'product', product: rl('id', productId()), device: rl('name', String(device.name)) },
			credentials: userToken(cloud()),
		});
		expect(result.results.length).toBeGreaterThan(0);
		const [lookup, read] = apiCalls(cloud());
		expect(lookup.path).toBe(`/v1/products/${productId()}/devices`);
		expect(lookup.query).toMatchObject({ deviceName: String(device.name) });
		expect(read.path).toBe(`/v1/products/${productId()}/devices/${device.id}`);
	});

	it.each([
		['no device yet', { deviceScope: 'sandbox', device: rl('list', '') }],
		['a device from an expression', { deviceScope: 'sandbox', device: rl('id', '={{ $json.id }}') }],
		['a product from an expression', { deviceScope: 'product', product: rl('id', '={{ $json.p }}'), device: rl('id', 'ffffffffffffffffffffffff') }],
	])('lists nothing and asks Particle nothing with %s', async (_case, parameters) => {
		const result = await runListSearch({ method: 'searchVariables', parameters, credentials: userToken(cloud()) });
		expect(result.results).toEqual([]);
		expect(cloud().requests).toHaveLength(0);
	});

	it("says what was missing when the device is not the token's", async () => {
		await expect(
			runListSearch({
				method: 'searchVariables',
				parameters: { deviceScope: 'sandbox', device: rl('id', 'ffffffffffffffffffffffff') },
				credentials: userToken(cloud()),
			}),
		).rejects.toThrow(/^Particle could not find the device ffffffffffffffffffffffff/);
	});
});
