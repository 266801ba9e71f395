/** Variable Get, Function Call and Event Publish, sandbox and product, through n8n's engine against the fake cloud. */
import { apiCalls, productClient, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, productDevices: 6 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => cloud().productClient.productId;
const onlineSandboxDevice = () => cloud().fleet.sandboxDevices().find((device) => device.online)!;
const offlineSandboxDevice = () => cloud().fleet.sandboxDevices().find((device) => !device.online)!;
const onlineProductDevice = () => cloud().fleet.productDevices(productId()).find((device) => device.online)!;

describe('Variable > Get', () => {
	it.each([
		['temperature', 'number'],
		['status', 'string'],
		['enabled', 'boolean'],
		['counter', 'number'],
	])('reads %s from a sandbox device and keeps its type (%s)', async (name, type) => {
		const device = onlineSandboxDevice();
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', device.id), variableName: name },
			credentials: userToken(cloud()),
		});

		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/devices/${device.id}/${name}`]);
		expect(result.items).toEqual([
			{
				json: {
					name,
					value: device.variables[name].value,
					deviceId: device.id,
					deviceName: device.name,
					connected: true,
					...(result.items[0].json.lastHeard ? { lastHeard: expect.any(String) } : {}),
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(typeof result.items[0].json.value).toBe(type);
	});

	it('reads from a product device with the product client, full response when not simplified', async () => {
		const device = onlineProductDevice();
		cloud().setVariable(device.id, 'temperature', 21.5);
		const result = await runNode({
			parameters: {
				resource: 'variable',
				operation: 'get',
				deviceScope: 'product',
				product: rl('id', String(productId())),
				device: rl('id', device.id),
				variableName: 'temperature',
				simplify: false,
			},
			credentials: productClient(cloud()),
		});

		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${productId()}/devices/${device.id}/temperature`);
		expect(result.items[0].json).toEqual({
			name: 'temperature',
			result: 21.5,
			coreInfo: expect.objectContaining({ deviceID: device.id, connected: true }),
		});
	});

	it('an offline device and an unknown variable become error items, the other items go on', async () => {
		const online = onlineSandboxDevice();
		const offline = offlineSandboxDevice();
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', '={{ $json.device }}'), variableName: '={{ $json.variable }}' },
			credentials: userToken(cloud()),
			items: [
				{ device: online.id, variable: 'nope' },
				{ device: offline.id, variable: 'temperature' },
				{ device: online.id, variable: 'humidity' },
			],
			continueOnFail: true,
		});

		expect(result.items.map((item) => [item.pairedItem, item.json.error ?? item.json.value])).toEqual([
			[{ item: 0 }, 'Particle could not find it: Variable not found'],
			[{ item: 1 }, expect.stringMatching(/^Particle could not find it: .+/)],
			[{ item: 2 }, online.variables.humidity.value],
		]);
	});

	it('stops the run on the first failure without Continue On Fail', async () => {
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', offlineSandboxDevice().id), variableName: 'temperature' },
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('error');
		expect(result.error?.httpCode).toBe('404');
	});

	it('a slow device answers 408 and the read is not repeated', async () => {
		const device = onlineSandboxDevice();
		cloud().setSlowDevice(device.id, 50);
		try {
			const result = await runNode({
				parameters: { resource: 'variable', operation: 'get', device: rl('id', device.id), variableName: 'temperature' },
				credentials: userToken(cloud()),
			});
			expect(result.error?.message).toBe('The device did not answer in time: Timed out.');
			expect(apiCalls(cloud())).toHaveLength(1);
		} finally {
			cloud().setSlowDevice(device.id, null);
		}
	});

	it('refuses a variable name over 64 characters before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', onlineSandboxDevice().id), variableName: 'v'.repeat(65) },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('Variable name is 65 characters long; Particle allows at most 64');
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('Function > Call', () => {
	it('calls a sandbox function with a JSON body and returns return_value', async () => {
		const device = onlineSandboxDevice();
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'setColor', argument: '255,0,10' },
			credentials: userToken(cloud()),
		});

		const [call] = apiCalls(cloud());
		expect(call).toMatchObject({
			method: 'POST',
			path: `/v1/devices/${device.id}/setColor`,
			body: { arg: '255,0,10' },
			authorization: `Bearer ${cloud().tokens.user}`,
		});
		expect(call.contentType).toMatch(/^application\/json/);
		expect(result.items).toEqual([
			{
				json: { id: device.id, name: 'setColor', connected: true, return_value: 1, functionName: 'setColor', argument: '255,0,10' },
				pairedItem: { item: 0 },
			},
		]);
		expect(device.calls.at(-1)).toMatchObject({ name: 'setColor', arg: '255,0,10', return_value: 1 });
	});

	it('passes the firmware return value through (0 for a bad colour), form-encoded when asked, on a product device', async () => {
		const device = onlineProductDevice();
		const result = await runNode({
			parameters: {
				resource: 'function',
				operation: 'call',
				deviceScope: 'product',
				product: rl('id', cloud().productClient.productSlug),
				device: rl('id', device.id),
				functionName: 'setColor',
				argument: 'red',
				options: { bodyEncoding: 'form' },
			},
			credentials: userToken(cloud()),
		});
		const [call] = apiCalls(cloud());
		expect(call.path).toBe(`/v1/products/${cloud().productClient.productSlug}/devices/${device.id}/setColor`);
		expect(call.contentType).toMatch(/^application\/x-www-form-urlencoded/);
		expect(call.rawBody).toBe('arg=red');
		expect(result.items[0].json.return_value).toBe(0);
	});

	it('an unknown function is an error item; a call is never repeated after a 408', async () => {
		const device = onlineSandboxDevice();
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'nope' },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toBe('Particle could not find it: Function nope not found');

		cloud().clearRequests();
		cloud().setSlowDevice(device.id, 20);
		try {
			const slow = await runNode({
				parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'led', argument: 'on' },
				credentials: userToken(cloud()),
			});
			expect(slow.error?.message).toBe('The device did not answer in time: Timed out.');
			expect(slow.error?.description).toMatch(/not sent again/);
			expect(apiCalls(cloud())).toHaveLength(1);
		} finally {
			cloud().setSlowDevice(device.id, null);
		}
	});

	it('refuses an argument over 1024 bytes before sending, naming the size', async () => {
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', onlineSandboxDevice().id), functionName: 'led', argument: 'é'.repeat(600) },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('Argument is 1200 bytes; Particle accepts at most 1024 bytes');
		expect(cloud().requests).toHaveLength(0);
	});

	it('keeps a hostile function name inside its path segment', async () => {
		const device = onlineSandboxDevice();
		await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: '../../events?x=1#y' },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		const [call] = apiCalls(cloud());
		expect(call.path).toBe(`/v1/devices/${device.id}/..%2F..%2Fevents%3Fx%3D1%23y`);
		expect(call.query).toEqual({});
		expect(call.status).toBe(404);
		expect(cloud().fleet.publishedEvents).toHaveLength(0);
	});
});

describe('Event > Publish', () => {
	it('publishes to the sandbox stream', async () => {
		const before = cloud().fleet.publishedEvents.length;
		const result = await runNode({
			parameters: { resource: 'event', operation: 'publish', eventName: 'lights/on', data: 'kitchen', options: { ttl: 30 } },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'POST',
			path: '/v1/devices/events',
			body: { name: 'lights/on', data: 'kitchen', private: true, ttl: 30 },
		});
		expect(result.items).toEqual([{ json: { ok: true, name: 'lights/on', data: 'kitchen', private: true }, pairedItem: { item: 0 } }]);
		expect(cloud().fleet.publishedEvents.slice(before)).toEqual([
			expect.objectContaining({ name: 'lights/on', data: 'kitchen', ttl: 30, private: true }),
		]);
	});

	it('publishes to a product stream', async () => {
		const before = cloud().fleet.publishedEvents.length;
		await runNode({
			parameters: { resource: 'event', operation: 'publish', deviceScope: 'product', product: rl('id', String(productId())), eventName: 'fw/check' },
			credentials: productClient(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${productId()}/events`);
		expect(cloud().fleet.publishedEvents.slice(before)).toEqual([expect.objectContaining({ name: 'fw/check', productID: productId() })]);
	});

	it('refuses a long name or data before sending, item by item', async () => {
		const result = await runNode({
			parameters: { resource: 'event', operation: 'publish', eventName: '={{ $json.name }}', data: '={{ $json.data }}' },
			credentials: userToken(cloud()),
			items: [{ name: 'n'.repeat(65), data: '' }, { name: 'ok', data: 'x'.repeat(1025) }, { name: 'ok', data: 'fine' }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error ?? 'sent')).toEqual([
			'Event name is 65 characters long; Particle allows at most 64',
			'Data is 1025 bytes; Particle accepts at most 1024 bytes',
			'sent',
		]);
		expect(apiCalls(cloud())).toHaveLength(1);
	});

	it('is never sent twice after a 5xx', async () => {
		cloud().injectFault({ method: 'POST', path: '/v1/devices/events', status: 502, times: 3 });
		const result = await runNode({
			parameters: { resource: 'event', operation: 'publish', eventName: 'once' },
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('error');
		expect(apiCalls(cloud())).toHaveLength(1);
	});
});
