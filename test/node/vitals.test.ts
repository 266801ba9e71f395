/** Vitals: last, history (items and CSV), refresh, metadata, through n8n's engine against the fake cloud. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { INodeExecutionData } from 'n8n-workflow';

import { KNOWN_HEADERS } from '../../nodes/shared/csv';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, productDevices: 4 });

const HOUR = 3_600_000;
const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => String(cloud().productClient.productId);
const onlineSandbox = () => cloud().fleet.sandboxDevices().filter((device) => device.online);
const hoursAgo = (hours: number) => new Date(Date.now() - hours * HOUR).toISOString();

function csvText(item: INodeExecutionData, property = 'data'): string {
	const binary = item.binary?.[property];
	if (!binary) throw new Error(`no binary property ${property}`);
	// The harness runs n8n's binary data service without a storage manager: in memory, base64 in the item.
	expect(binary.id).toBeUndefined();
	return Buffer.from(binary.data, 'base64').toString('utf8');
}

/** What the fake answers for the same request with Accept: text/csv, read directly. */
async function particleCsv(path: string, query: Record<string, string | string[]>): Promise<string> {
	const search = new URLSearchParams(query as Record<string, string>).toString();
	const response = await fetch(`${cloud().url}${path}?${search}`, { headers: { authorization: `Bearer ${cloud().tokens.user}`, accept: 'text/csv' } });
	return await response.text();
}

describe('Vitals > Get Last', () => {
	it('reads the last vitals of a sandbox device, nested or flattened', async () => {
		const device = onlineSandbox()[0];
		const nested = await runNode({
			parameters: { resource: 'vitals', operation: 'getLast', device: rl('id', device.id) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/diagnostics/${device.id}/last`]);
		expect(nested.items).toEqual([
			{
				json: { deviceId: device.id, updatedAt: expect.any(String), payload: expect.objectContaining({ device: expect.any(Object) }) },
				pairedItem: { item: 0 },
			},
		]);

		const flat = await runNode({
			parameters: { resource: 'vitals', operation: 'getLast', device: rl('id', device.id), flatten: true },
			credentials: userToken(cloud()),
		});
		expect(flat.items[0].json).toHaveProperty(['device.power.battery.charge']);
		expect(typeof flat.items[0].json['device.network.signal.strength']).toBe('number');
		expect(flat.items[0].json).not.toHaveProperty('payload');
	});

	it('a device that never sent vitals: an error that says so, and nothing made up', async () => {
		const device = cloud().fleet.sandboxDevices().find((candidate) => !candidate.online)!;
		const heard = device.last_heard;
		device.last_heard = null;
		try {
			const result = await runNode({
				parameters: { resource: 'vitals', operation: 'getLast', device: rl('id', device.id) },
				credentials: userToken(cloud()),
				continueOnFail: true,
			});
			expect(result.items).toHaveLength(1);
			// The error item's other fields are the router's.
			expect(result.items[0].json).toMatchObject({ error: 'Particle has no vitals for this device', description: expect.stringMatching(/may never have sent vitals.*No vitals found/) });
			expect(result.items[0].json).not.toHaveProperty('payload');
			expect(apiCalls(cloud()).map((call) => call.status)).toEqual([404]);
		} finally {
			device.last_heard = heard;
		}
	});

	it('reads a product device through the product route', async () => {
		const device = cloud().fleet.productDevices(Number(productId()))[0];
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'getLast', deviceScope: 'product', product: rl('id', productId()), device: rl('id', device.id) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${productId()}/diagnostics/${device.id}/last`);
		expect(result.items[0].json.deviceId).toBe(device.id);
	});
});

describe('Vitals > Get History', () => {
	it('returns one item per record in the range, sending ISO dates', async () => {
		const device = onlineSandbox()[0];
		const start = hoursAgo(6);
		const end = hoursAgo(0);
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'getHistory', device: rl('id', device.id), startDate: start, endDate: end },
			credentials: userToken(cloud()),
		});

		const [call] = apiCalls(cloud());
		expect(call.path).toBe(`/v1/diagnostics/${device.id}`);
		expect(call.query).toEqual({ start_date: start, end_date: end });
		expect(result.items.length).toBeGreaterThanOrEqual(5);
		for (const item of result.items) {
			const at = Date.parse(String(item.json.updatedAt));
			expect(at).toBeGreaterThanOrEqual(Date.parse(start));
			expect(at).toBeLessThanOrEqual(Date.parse(end));
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	it('streams Particle\'s own CSV into the file, asking with Accept: text/csv', async () => {
		const device = onlineSandbox()[1];
		const start = hoursAgo(4);
		const end = hoursAgo(0);
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'getHistory', device: rl('id', device.id), startDate: start, endDate: end, output: 'csv' },
			credentials: userToken(cloud()),
		});

		const calls = apiCalls(cloud());
		expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([`GET /v1/devices/${device.id}`, `GET /v1/diagnostics/${device.id}`]);
		expect(calls[1].headers.accept).toBe('text/csv');
		expect(calls[1].query).toEqual({ start_date: start, end_date: end });
		expect(calls[1].authorization).toBe(`Bearer ${cloud().tokens.user}`);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.binary?.data).toMatchObject({ mimeType: 'text/csv', fileName: expect.stringMatching(/^vitals_[A-Za-z0-9_-]+\.csv$/) });
		expect(item.binary?.data.fileName).toContain(String(device.name));
		const text = csvText(item);
		expect(text).toBe(await particleCsv(calls[1].path, calls[1].query));
		expect(text.split('\n').length).toBeGreaterThan(4);
		expect(text.startsWith('deviceID,updated_at,')).toBe(true);
		expect(item.json).toEqual({ deviceId: device.id, deviceName: device.name, from: start, to: end, layout: 'particle', bytes: Buffer.byteLength(text) });
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('writes the Fleet Operator layout for one device: operator columns first, units in the header, platform and state', async () => {
		const device = cloud().fleet.productDevices(Number(productId()))[0];
		const start = hoursAgo(3);
		const end = hoursAgo(0);
		const result = await runNode({
			parameters: {
				resource: 'vitals',
				operation: 'getHistory',
				deviceScope: 'product',
				product: rl('id', productId()),
				device: rl('id', device.id),
				startDate: start,
				endDate: end,
				output: 'csv',
				csvOptions: { layout: 'operator' },
			},
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([`/v1/products/${productId()}/diagnostics/${device.id}`, `/v1/products/${productId()}/devices/${device.id}`]);
		expect(apiCalls(cloud())[0].headers.accept).toBe('application/json');
		const json = (await (
			await fetch(`${cloud().url}/v1/products/${productId()}/diagnostics/${device.id}?start_date=${start}&end_date=${end}`, { headers: { authorization: `Bearer ${cloud().tokens.user}` } })
		).json()) as { diagnostics: Array<{ updated_at: string; payload: { device: { power: { battery: { charge: number } }; network: { signal: { strengthv: number } } } } }> };
		const lines = csvText(result.items[0]).split('\r\n').filter((line) => line !== '');
		const header = lines[0].split(',');
		expect(header).toEqual([...KNOWN_HEADERS]);
		expect(lines).toHaveLength(1 + json.diagnostics.length);
		const row = lines[1].split(',');
		const cell = (name: string) => row[header.indexOf(name)];
		expect(cell('device_id')).toBe(device.id);
		expect(cell('device_name')).toBe(device.name);
		expect(cell('platform')).toMatch(/^[A-Za-z]/);
		expect(cell('online')).toBe(String(device.online));
		expect(cell('last_heard')).toBe(device.last_heard);
		expect(cell('time')).toBe(json.diagnostics[0].updated_at);
		expect(Number(cell('battery_charge_pct'))).toBe(json.diagnostics[0].payload.device.power.battery.charge);
		expect(cell('signal_strength_dbm')).toBe(String(json.diagnostics[0].payload.device.network.signal.strengthv));
		expect(result.items[0].json).toMatchObject({ deviceId: device.id, layout: 'operator', rows: json.diagnostics.length });
	});

	// 401: n8n's credential helper asks the credential again and resends once, as for any request.
	it.each([
		['404', { status: 404, body: { ok: false, error: 'Device not found.' } }, /^Particle could not find the device [0-9a-f]{24}: Device not found\./, 1],
		['401', { status: 401, body: { error: 'invalid_token', error_description: 'The access token provided is invalid.' } }, /access token provided is invalid/i, 2],
		['200 but JSON', { status: 200, body: { diagnostics: [] }, headers: { 'content-type': 'application/json' } }, /not text\/csv/, 1],
	])('a streamed download answered %s is an error item, never a file', async (_name, fault, message, sent) => {
		const device = onlineSandbox()[0];
		cloud().injectFault({ method: 'GET', path: `/v1/diagnostics/${device.id}`, times: 3, ...fault });
		const result = await runNode({
			parameters: {
				resource: 'vitals',
				operation: 'getHistory',
				device: rl('id', device.id),
				startDate: hoursAgo(2),
				output: 'csv',
				csvOptions: { includeDeviceName: false },
			},
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].binary).toBeUndefined();
		expect(String(result.items[0].json.error)).toMatch(message);
		expect(JSON.stringify(result.items[0].json)).not.toContain(cloud().tokens.user);
		// Not a read worth repeating otherwise: the same answer would come again.
		expect(apiCalls(cloud())).toHaveLength(sent);
	});

	it('a download cut off half-way is an error item, never half a file, and is not sent again', async () => {
		let requests = 0;
		const server = createServer((_req, res) => {
			requests++;
			res.writeHead(200, { 'content-type': 'text/csv' });
			res.write('deviceID,updated_at\n' + 'a'.repeat(24) + ',2026-01-01T00:00:00.000Z\n'.repeat(2000));
			setTimeout(() => res.destroy(), 20);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const result = await runNode({
				parameters: { resource: 'vitals', operation: 'getHistory', device: rl('id', 'a'.repeat(24)), startDate: hoursAgo(2), output: 'csv', csvOptions: { includeDeviceName: false } },
				credentials: { authMode: 'accessToken', accessToken: 'f'.repeat(40), baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
				continueOnFail: true,
			});
			expect(result.items).toHaveLength(1);
			expect(result.items[0].binary).toBeUndefined();
			expect(result.items[0].json.error).toMatch(/Could not reach the Particle Cloud \(ECONNRESET\)/);
			expect(requests).toBe(1);
		} finally {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		}
	});

	it('a streamed download waits out a 429 and resends; a 503 is retried (a read)', async () => {
		const device = onlineSandbox()[0];
		cloud().injectFault({ method: 'GET', path: `/v1/diagnostics/${device.id}`, status: 429, headers: { 'retry-after': '1' } });
		cloud().injectFault({ method: 'GET', path: `/v1/diagnostics/${device.id}`, status: 503 });
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'getHistory', device: rl('id', device.id), startDate: hoursAgo(2), output: 'csv', csvOptions: { includeDeviceName: false } },
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('success');
		expect(apiCalls(cloud()).map((call) => call.status)).toEqual([429, 503, 200]);
		expect(csvText(result.items[0]).startsWith('deviceID,updated_at,')).toBe(true);
	});

	it('merges the devices of all input items into one file when asked', async () => {
		const [first, second] = onlineSandbox();
		const result = await runNode({
			parameters: {
				resource: 'vitals',
				operation: 'getHistory',
				device: rl('id', '={{ $json.id }}'),
				startDate: hoursAgo(3),
				endDate: hoursAgo(0),
				output: 'csv',
				csvOptions: { merge: true, includeDeviceName: false },
			},
			credentials: userToken(cloud()),
			items: [{ id: first.id }, { id: second.id }],
		});

		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.pairedItem).toEqual([{ item: 0 }, { item: 1 }]);
		const [headerLine, ...rows] = csvText(item).split('\r\n').filter((line) => line !== '');
		expect(headerLine).toBe(KNOWN_HEADERS.join(','));
		expect(rows.length).toBe(item.json.rows);
		expect(rows.length).toBeGreaterThan(2);
		expect(new Set(rows.map((row) => row.split(',')[0]))).toEqual(new Set([first.id, second.id]));
		expect(item.binary?.data.fileName).toMatch(/^vitals_all_/);
		// No device lookups when names are not wanted.
		expect(apiCalls(cloud()).every((call) => call.path.startsWith('/v1/diagnostics/'))).toBe(true);
	});

	it.each([
		[hoursAgo(1), hoursAgo(2), 'Start Date must be before End Date'],
		[hoursAgo(24 * 31), hoursAgo(0), /^Start Date is 31\.0 days ago; Particle keeps vitals for 30 days$/],
		['yesterday-ish', hoursAgo(0), /^Start Date ".*" is not a date$/],
	])('refuses the range %p .. %p before sending', async (start, end, message) => {
		const result = await runNode({
			parameters: {
				resource: 'vitals',
				operation: 'getHistory',
				device: rl('id', onlineSandbox()[0].id),
				startDate: `={{ ${JSON.stringify(start)} }}`,
				endDate: end,
			},
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(message);
		expect(cloud().requests).toHaveLength(0);
	});

	it('takes a Luxon date from an expression, and quotes an object that is no date as JSON', async () => {
		const device = onlineSandbox()[0];
		const run = (startDate: string) =>
			runNode({
				parameters: { resource: 'vitals', operation: 'getHistory', device: rl('id', device.id), startDate },
				credentials: userToken(cloud()),
			});
		const fromLuxon = await run('={{ $now.minus({ hours: 2 }) }}');
		expect(fromLuxon.status).toBe('success');
		const sent = apiCalls(cloud()).find((call) => call.path === `/v1/diagnostics/${device.id}`);
		expect(Date.now() - Date.parse(String(sent?.query.start_date))).toBeGreaterThan(2 * 3600_000 - 60_000);

		const requestsBefore = cloud().requests.length;
		const fromObject = await run('={{ { day: 1 } }}');
		expect(fromObject.error?.message).toBe('Start Date "{"day":1}" is not a date');
		expect(cloud().requests).toHaveLength(requestsBefore);
	});
});

describe('Vitals > Refresh and Get Metadata', () => {
	it('asks the device for new vitals with a POST that is not repeated on failure', async () => {
		const device = onlineSandbox()[0];
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'refresh', device: rl('id', device.id) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'POST', path: `/v1/diagnostics/${device.id}/update`, status: 202 });
		expect(result.items[0].json).toMatchObject({ deviceId: device.id, requested: true });

		cloud().clearRequests();
		cloud().injectFault({ method: 'POST', path: '/v1/diagnostics/', status: 503, times: 3 });
		const failed = await runNode({
			parameters: { resource: 'vitals', operation: 'refresh', device: rl('id', device.id) },
			credentials: userToken(cloud()),
		});
		expect(failed.status).toBe('error');
		expect(apiCalls(cloud())).toHaveLength(1);
	});

	it('returns the metadata of the vitals fields', async () => {
		const device = onlineSandbox()[0];
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'getMetadata', device: rl('id', device.id) },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0].path).toBe(`/v1/diagnostics/${device.id}/metadata`);
		expect(result.items[0].json).toEqual({ deviceId: device.id, metadata: expect.objectContaining({ device: expect.any(Object) }) });
	});

	it('says the metadata endpoint may be retired when Particle answers 404', async () => {
		const device = onlineSandbox()[0];
		cloud().injectFault({ method: 'GET', path: `/v1/diagnostics/${device.id}/metadata`, status: 404, body: { ok: false, error: 'Not Found' } });
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'getMetadata', device: rl('id', device.id) },
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Particle did not find the vitals metadata: the endpoint may be retired');
		expect(result.error?.description).toMatch(/no longer lists.*Get Last/);
		expect(result.error?.httpCode).toBe('404');
	});
});
