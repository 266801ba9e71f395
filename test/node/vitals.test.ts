/** Vitals: last, history (items and CSV), refresh, metadata, through n8n's engine against the fake cloud. */
import type { INodeExecutionData } from 'n8n-workflow';

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
	return Buffer.from(binary.data, 'base64').toString('utf8');
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

	it('writes a CSV file with the device name, dotted columns and plain numbers', async () => {
		const device = onlineSandbox()[1];
		const start = hoursAgo(4);
		const end = hoursAgo(0);
		const result = await runNode({
			parameters: { resource: 'vitals', operation: 'getHistory', device: rl('id', device.id), startDate: start, endDate: end, output: 'csv' },
			credentials: userToken(cloud()),
		});

		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([`/v1/diagnostics/${device.id}`, `/v1/devices/${device.id}`]);
		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.binary?.data).toMatchObject({ mimeType: 'text/csv', fileName: expect.stringMatching(/^vitals_[A-Za-z0-9_-]+\.csv$/) });
		expect(item.binary?.data.fileName).toContain(String(device.name));
		const lines = csvText(item).split('\r\n').filter((line) => line !== '');
		const header = lines[0].split(',');
		expect(header.slice(0, 3)).toEqual(['device_id', 'device_name', 'timestamp']);
		expect(header).toContain('device.power.battery.charge');
		expect(header).toEqual([...header.slice(0, 3), ...[...header.slice(3)].sort()]);
		expect(lines.length - 1).toBe(item.json.rows);
		const firstRow = lines[1].split(',');
		expect(firstRow[0]).toBe(device.id);
		expect(firstRow[1]).toBe(device.name);
		const strengthv = firstRow[header.indexOf('device.network.signal.strengthv')];
		expect(strengthv).toMatch(/^-\d+(\.\d+)?$/);
		expect(item.json).toMatchObject({ deviceId: device.id, deviceName: device.name, from: start, to: end });
		expect(item.pairedItem).toEqual({ item: 0 });
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
		const rows = csvText(item).split('\r\n').filter((line) => line !== '').slice(1);
		expect(rows.length).toBe(item.json.rows);
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
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'POST', path: `/v1/diagnostics/${device.id}/update` });
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
});
