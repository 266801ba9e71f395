/** Device Get and Get Many, sandbox and product, through n8n's engine against the fake cloud. */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, productDevices: 250 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => String(cloud().productClient.productId);

describe('Device > Get Many', () => {
	it('lists the sandbox in one unpaged call, simplified, paired with the input item', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true },
			credentials: userToken(cloud()),
		});

		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual(['GET /v1/devices']);
		const expected = cloud().fleet.sandboxDevices().map((device) => device.id).sort();
		expect(result.items.map((item) => item.json.id).sort()).toEqual(expected);
		for (const item of result.items) {
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(Object.keys(item.json)).toEqual(expect.arrayContaining(['id', 'name', 'online', 'last_heard', 'platform_id']));
			expect(item.json).not.toHaveProperty('functions');
		}
	});

	it('reads all pages of a product at the largest page size, named perPage as the reference does', async () => {
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'getAll',
				deviceScope: 'product',
				product: rl('id', productId()),
				returnAll: true,
			},
			credentials: userToken(cloud()),
		});

		expect(result.items).toHaveLength(250);
		expect(new Set(result.items.map((item) => item.json.id)).size).toBe(250);
		expect(apiCalls(cloud()).map((call) => [call.path, call.query])).toEqual([
			[`/v1/products/${productId()}/devices`, { page: '1', perPage: '100' }],
			[`/v1/products/${productId()}/devices`, { page: '2', perPage: '100' }],
			[`/v1/products/${productId()}/devices`, { page: '3', perPage: '100' }],
		]);
	});

	it('fetches only the pages a limit needs', async () => {
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'getAll',
				deviceScope: 'product',
				product: rl('id', productId()),
				returnAll: false,
				limit: 130,
			},
			credentials: userToken(cloud()),
		});
		expect(result.items).toHaveLength(130);
		expect(apiCalls(cloud()).map((call) => call.query.page)).toEqual(['1', '2']);

		cloud().clearRequests();
		const small = await runNode({
			parameters: {
				resource: 'device',
				operation: 'getAll',
				deviceScope: 'product',
				product: rl('id', productId()),
				limit: 7,
			},
			credentials: userToken(cloud()),
		});
		expect(small.items).toHaveLength(7);
		expect(apiCalls(cloud()).map((call) => call.query)).toEqual([{ page: '1', perPage: '7' }]);
	});

	it("passes the product filters as Particle's query keys, by slug too", async () => {
		const target = cloud().fleet.productDevices(Number(productId()))[3];
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'getAll',
				deviceScope: 'product',
				product: rl('id', cloud().productClient.productSlug),
				returnAll: true,
				filters: { deviceName: String(target.name), sortAttr: 'deviceId', sortDir: 'asc', quarantined: false },
				simplify: false,
			},
			credentials: userToken(cloud()),
		});

		expect(result.status).toBe('success');
		const [call] = apiCalls(cloud());
		expect(call.path).toBe(`/v1/products/${cloud().productClient.productSlug}/devices`);
		expect(call.query).toEqual({
			deviceName: String(target.name),
			sortAttr: 'deviceId',
			sortDir: 'asc',
			page: '1',
			perPage: '100',
		});
		expect(result.items.map((item) => item.json.id)).toContain(target.id);
		// Not simplified: product-only fields come through.
		expect(result.items[0].json).toHaveProperty('groups');
		expect(result.items[0].json).toHaveProperty('firmware_product_id');
	});

	it('sorts by device name, an option "List devices in a product" documents', async () => {
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'getAll',
				deviceScope: 'product',
				product: rl('id', productId()),
				returnAll: false,
				limit: 5,
				filters: { sortAttr: 'deviceName', sortDir: 'desc' },
			},
			credentials: userToken(cloud()),
		});

		expect(apiCalls(cloud()).map((call) => call.query)).toEqual([{ sortAttr: 'deviceName', sortDir: 'desc', page: '1', perPage: '5' }]);
		const names = cloud().fleet.productDevices(Number(productId())).map((device) => device.name).sort().reverse();
		expect(result.items.map((item) => item.json.name)).toEqual(names.slice(0, 5));
	});

	it('offers every sort attribute of the reference, and only those', async () => {
		const { description } = await import('../../nodes/Particle/actions/device/getAll.operation');
		const filters = description.find((field) => field.name === 'filters');
		const sort = (filters?.options as Array<{ name: string; options?: Array<{ value: unknown }> }>).find((option) => option.name === 'sortAttr');
		expect(sort?.options?.map((option) => option.value)).toEqual(['deviceId', 'deviceName', 'firmwareVersion', 'lastConnection']);
	});

	it('runs once per input item', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', limit: 2 },
			credentials: userToken(cloud()),
			items: [{ a: 1 }, { a: 2 }],
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		expect(apiCalls(cloud())).toHaveLength(2);
	});
});

describe('Device > Get', () => {
	it('gets a sandbox device by ID', async () => {
		const device = cloud().fleet.sandboxDevices()[0];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox', device: rl('id', device.id.toUpperCase()) },
			credentials: userToken(cloud()),
		});

		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/devices/${device.id}`]);
		expect(result.items).toEqual([
			{ json: expect.objectContaining({ id: device.id, name: device.name, online: device.online }), pairedItem: { item: 0 } },
		]);
	});

	it('gets a sandbox device by name, as Particle accepts names there', async () => {
		const device = cloud().fleet.sandboxDevices()[1];
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'get',
				deviceScope: 'sandbox',
				device: rl('name', String(device.name)),
				simplify: false,
			},
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/devices/${encodeURIComponent(String(device.name))}`);
		expect(result.items[0].json).toMatchObject({ id: device.id, variables: expect.any(Object), functions: expect.any(Array) });
	});

	it('gets a product device by name through an exact-name lookup', async () => {
		const device = cloud().fleet.productDevices(Number(productId()))[5];
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'get',
				deviceScope: 'product',
				product: rl('id', productId()),
				device: rl('name', String(device.name)),
			},
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('success');
		expect(apiCalls(cloud()).map((call) => [call.path, call.query])).toEqual([
			[`/v1/products/${productId()}/devices`, { deviceName: String(device.name), page: '1', perPage: '100' }],
			[`/v1/products/${productId()}/devices/${device.id}`, {}],
		]);
		expect(result.items[0].json).toMatchObject({ id: device.id, groups: expect.any(Array) });
	});

	it('refuses a malformed device ID before sending anything', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox', device: rl('id', 'not-a-device') },
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('error');
		// n8n checks the locator's pattern first; the node's own check (limits.ts) backs it for expressions and names.
		expect(result.error?.message).toMatch(/24 hexadecimal characters/);
		expect(cloud().requests).toHaveLength(0);
	});

	it('refuses a bad product slug before sending anything', async () => {
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'get',
				deviceScope: 'product',
				product: rl('id', '../devices'),
				device: rl('id', cloud().fleet.sandboxDevices()[0].id),
			},
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toMatch(/product ID \(a number\) or a product slug/);
		expect(cloud().requests).toHaveLength(0);
	});

	it('checks values that come from expressions too, item by item', async () => {
		const good = cloud().fleet.sandboxDevices()[0].id;
		const result = await runNode({
			parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox', device: rl('id', '={{ $json.id }}') },
			credentials: userToken(cloud()),
			items: [{ id: 'zz' }, { id: good }],
			continueOnFail: true,
		});
		expect(result.items).toEqual([
			{
				json: {
					error: 'Device ID must be 24 hexadecimal characters (got 2 characters)',
					description: 'Nothing was sent to Particle.',
				},
				pairedItem: { item: 0 },
			},
			{ json: expect.objectContaining({ id: good }), pairedItem: { item: 1 } },
		]);
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([`/v1/devices/${good}`]);
	});

	it.each(['../x?y#z', '..', 'a/b/../../products', 'x%2F..%2Fy', 'ünï?cødé#'])(
		'keeps the hostile name %p inside its path segment',
		async (name) => {
			const result = await runNode({
				parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox', device: rl('name', name) },
				credentials: userToken(cloud()),
				continueOnFail: true,
			});

			const calls = apiCalls(cloud());
			if (name === '..') {
				expect(calls).toHaveLength(0);
				expect(result.items[0].json.error).toBe('Device cannot be ".."');
				return;
			}
			expect(calls).toHaveLength(1);
			expect(calls[0].path).toBe(`/v1/devices/${encodeURIComponent(name)}`);
			expect(calls[0].decodedPath).toBe(`/v1/devices/${name}`);
			expect(calls[0].query).toEqual({});
			expect(calls[0].status).toBe(404);
			expect(result.items).toEqual([{ json: expect.objectContaining({ error: expect.stringMatching(/could not find/) }), pairedItem: { item: 0 } }]);
		},
	);
});
