/** Variable Get, Function Call and Event Publish, sandbox and product, through n8n's engine against the fake cloud. */
import { apiCalls, productClient, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, productDevices: 6 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => cloud().productClient.productId;
const onlineSandboxDevice = () => cloud().fleet.sandboxDevices().find((device) => device.online)!;
const offlineSandboxDevice = () => cloud().fleet.sandboxDevices().find((device) => !device.online)!;
const onlineProductDevice = () => cloud().fleet.productDevices(productId()).find((device) => device.online)!;
/** The reference's Errors table: "404 Not Found - The device you requested is not currently connected to the cloud." */
const NOT_CONNECTED = 'The device you requested is not currently connected to the cloud.';
/** The execution hints n8n recorded for the node's run. */
const hintsOf = (result: Awaited<ReturnType<typeof runNode>>) => result.run?.data.resultData.runData.Particle?.[0]?.hints ?? [];

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
			[{ item: 0 }, `Particle could not find the variable "nope" on device ${online.id}: Variable not found`],
			[{ item: 1 }, `Device "${offline.name}" is offline, so Particle could not read its variable "temperature": ${NOT_CONNECTED}`],
			[{ item: 2 }, online.variables.humidity.value],
		]);
		expect(result.items[0].json.description).toBe(
			'The device is online but has not registered a variable "nope"; names are case-sensitive. Device > Get lists the variables it has registered.',
		);
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
			// The read is not repeated; one read of the device says when it was last heard.
			expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([
				`GET /v1/devices/${device.id}/temperature 408`,
				`GET /v1/devices/${device.id} 200`,
			]);
			expect(result.error?.description).toMatch(/^The device is probably offline, asleep or busy\. Particle last heard from it at \S+Z\. It was not sent again\.$/);
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
		expect(result.items[0].json.error).toBe(`Particle could not find the function "nope" on device ${device.id}: Function nope not found`);
		expect(apiCalls(cloud())).toHaveLength(1);

		cloud().clearRequests();
		cloud().setSlowDevice(device.id, 20);
		try {
			const slow = await runNode({
				parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'led', argument: 'on' },
				credentials: userToken(cloud()),
			});
			expect(slow.error?.message).toBe('The device did not answer in time: Timed out.');
			expect(slow.error?.description).toMatch(/Particle last heard from it at .+ It was not sent again: the device may already have acted/);
			// One call, then one read of the device: the call itself is never sent again.
			expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([
				`POST /v1/devices/${device.id}/led`,
				`GET /v1/devices/${device.id}`,
			]);
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
			items: [{ name: 'n'.repeat(65), data: '' }, { name: 'ok', data: 'x'.repeat(16385) }, { name: 'ok', data: 'fine' }],
			continueOnFail: true,
		});
		expect(result.items.map((item) => item.json.error ?? 'sent')).toEqual([
			'Event name is 65 characters long; Particle allows at most 64',
			'Data is 16385 bytes; Particle accepts at most 16384 bytes',
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

describe('an offline device (issue #18)', () => {
	it('a function call says the device is offline, when it was last heard, and that the call was not sent again', async () => {
		const device = offlineSandboxDevice();
		const callsBefore = device.calls.length;
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: rl('list', 'led'), argument: 'on' },
			credentials: userToken(cloud()),
		});

		expect(result.error?.message).toBe(`Device "${device.name}" is offline, so Particle could not call its function "led": ${NOT_CONNECTED}`);
		expect(result.error?.description).toBe(
			`Particle last heard from it at ${device.last_heard}. The call was not sent again. Wait for the device to come online, or use the Particle Trigger's "Device Came Online" event to run this when it does.`,
		);
		expect(result.error?.httpCode).toBe('404');
		// The call once, then one read of the device: never the call again.
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([
			`POST /v1/devices/${device.id}/led`,
			`GET /v1/devices/${device.id}`,
		]);
		expect(device.calls).toHaveLength(callsBefore);
	});

	it('reads a product device through the product when its variable read finds it offline', async () => {
		const device = cloud().fleet.productDevices(productId()).find((candidate) => !candidate.online)!;
		const result = await runNode({
			parameters: {
				resource: 'variable',
				operation: 'get',
				deviceScope: 'product',
				product: rl('id', String(productId())),
				device: rl('id', device.id),
				variableName: rl('name', 'temperature'),
			},
			credentials: productClient(cloud()),
			continueOnFail: true,
		});
		expect(result.items[0].json.error).toMatch(/is offline, so Particle could not read its variable "temperature"/);
		expect(result.items[0].json.description).toMatch(/^Particle last heard from it at .+\. The read was not sent again\./);
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([
			`/v1/products/${productId()}/devices/${device.id}/temperature`,
			`/v1/products/${productId()}/devices/${device.id}`,
		]);
	});

	it('says so without a time when the device cannot be read afterwards', async () => {
		const device = offlineSandboxDevice();
		cloud().injectFault({ method: 'GET', path: new RegExp(`^/v1/devices/${device.id}$`), status: 403 });
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'led' },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe(`Device ${device.id} is offline, so Particle could not call its function "led": ${NOT_CONNECTED}`);
		expect(result.error?.description).toMatch(/^n8n could not read when Particle last heard from it \(HTTP 403\)\. The call was not sent again\./);
		expect(apiCalls(cloud()).filter((call) => call.method === 'POST')).toHaveLength(1);
	});

	it('knows the older "Device is not connected" too, and a device Particle still lists as online', async () => {
		const device = onlineSandboxDevice();
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${device.id}/led`, status: 404, body: { ok: false, error: 'Device is not connected' } });
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'led' },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe(`Device "${device.name}" is offline, so Particle could not call its function "led": Device is not connected`);
		expect(result.error?.description).toMatch(/still lists it as online/);
	});

	it('a 404 without words is judged from the device read (online false)', async () => {
		const device = offlineSandboxDevice();
		cloud().injectFault({ method: 'GET', path: `/v1/devices/${device.id}/temperature`, status: 404, body: '' });
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', device.id), variableName: 'temperature' },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toMatch(/^Device ".+" is offline, so Particle could not read its variable "temperature"/);
	});

	it('an unknown device reads nothing more and says it is the device that is missing', async () => {
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', 'ffffffffffffffffffffffff'), variableName: 'temperature' },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toMatch(/^Particle could not find the device ffffffffffffffffffffffff/);
		expect(result.error?.description).toMatch(/^Check the device ID or name/);
		expect(apiCalls(cloud())).toHaveLength(1);
	});
});

describe('sizes that depend on the device (issue #16)', () => {
	it('sends a function argument over 622 bytes and says once per run that it depends on the device', async () => {
		const device = onlineSandboxDevice();
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'led', argument: 'x'.repeat(1000) },
			credentials: userToken(cloud()),
			items: [{}, {}],
		});
		expect(result.status).toBe('success');
		expect(apiCalls(cloud()).map((call) => (call.body as { arg: string }).arg.length)).toEqual([1000, 1000]);
		expect(hintsOf(result)).toEqual([
			expect.objectContaining({ message: expect.stringMatching(/^Argument is longer than 622 bytes\. It was sent, but whether the device takes it depends on its platform and Device OS/) }),
		]);
	});

	it('adds no hint at 622 bytes', async () => {
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', onlineSandboxDevice().id), functionName: 'led', argument: 'x'.repeat(622) },
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('success');
		expect(hintsOf(result)).toEqual([]);
	});

	it('sends event data of 2000 bytes (too large for devices before Device OS 6.3) instead of refusing it', async () => {
		const result = await runNode({
			parameters: { resource: 'event', operation: 'publish', eventName: 'big', data: 'd'.repeat(2000) },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		const [call] = apiCalls(cloud());
		expect((call.body as { data: string }).data).toHaveLength(2000);
		expect(hintsOf(result)).toEqual([expect.objectContaining({ message: expect.stringMatching(/^Data is longer than 622 bytes/) })]);
	});
});

describe('variable and function names from the pickers (issue #18)', () => {
	it.each([
		['a plain string (workflows saved before the picker)', 'setColor'],
		['From List', rl('list', 'setColor')],
		['By Name', rl('name', 'setColor')],
		['By Name from an expression', rl('name', '={{ "set" + "Color" }}')],
	])('calls the same function given %s', async (_how, functionName) => {
		const device = onlineSandboxDevice();
		const result = await runNode({
			parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName, argument: '1,2,3' },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([`POST /v1/devices/${device.id}/setColor`]);
		expect(result.items[0].json).toMatchObject({ functionName: 'setColor', return_value: 1 });
	});

	it.each([
		['a plain string', 'temperature'],
		['From List', rl('list', 'temperature')],
	])('reads the same variable given %s', async (_how, variableName) => {
		const device = onlineSandboxDevice();
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', device.id), variableName },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([`/v1/devices/${device.id}/temperature`]);
		expect(result.items[0].json.value).toBe(device.variables.temperature.value);
	});

	it('refuses an empty name from the list before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', onlineSandboxDevice().id), variableName: rl('name', '={{ "" }}') },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('Variable name is empty');
		expect(cloud().requests).toHaveLength(0);
	});
});
