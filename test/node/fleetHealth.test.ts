/**
 * Fleet Health > Get Metrics through n8n's engine against the fake cloud: each metric's path and query (range, bucket
 * size, filters), one item per bucket with every documented count (0 where Particle omits it), pairing, and bad input
 * (dates, bucket size, firmware version) refused before sending.
 */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const PINNED = Date.parse('2026-03-14T12:00:00.000Z');
const HOUR = 3_600_000;
const cloud = useFakeCloud({ devices: 2, products: 3, productDevices: 6, now: PINNED });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const product = () => cloud().fleet.products[2];
const iso = (at: number) => new Date(at).toISOString();
const base = () => ({ resource: 'fleetHealth', operation: 'getMetrics', product: rl('list', String(product().id)) });

function expectCalls(...expected: Array<{ path: string; query: Record<string, string> }>): void {
	expect(apiCalls(cloud()).map(({ method, path, query, body, authorization }) => ({ method, path, query, body, authorization }))).toEqual(
		expected.map((call) => ({ method: 'GET', body: undefined, ...call, authorization: `Bearer ${cloud().tokens.user}` })),
	);
}

it('Online Devices: the range and bucket size as Particle names them, one item per bucket', async () => {
	const result = await runNode({
		parameters: { ...base(), metric: 'online', startDate: iso(PINNED - 2 * HOUR), endDate: iso(PINNED), bucketSize: 3600 },
		credentials: user(),
	});
	expectCalls({
		path: `/v1/products/${product().id}/metrics/online`,
		query: { start_date: iso(PINNED - 2 * HOUR), end_date: iso(PINNED), bucket_size: '3600' },
	});
	const onlineNow = cloud().fleet.productDevices(product().id).filter((device) => device.online).length;
	expect(result.items.map((item) => item.json)).toEqual([
		{ metric: 'online', time: iso(PINNED - 2 * HOUR), count: expect.any(Number) },
		{ metric: 'online', time: iso(PINNED - HOUR), count: expect.any(Number) },
		{ metric: 'online', time: iso(PINNED), count: onlineNow },
	]);
	expect(result.items.every((item) => item.pairedItem !== undefined && (item.pairedItem as { item: number }).item === 0)).toBe(true);
});

it('Events and Function Calls: counts from the fleet, 0 where Particle omits a count; filters are sent', async () => {
	const [device] = cloud().fleet.productDevices(product().id).filter((candidate) => candidate.online);
	cloud().fleet.publish({ name: 'reading', data: '1', ttl: 60, published_at: iso(PINNED - 30 * 60_000), coreid: device.id, productID: product().id });
	device.calls.push({ name: 'setColor', arg: '', return_value: 1, at: iso(PINNED - 20 * 60_000) });
	const group = device.groups[0];
	const range = { startDate: iso(PINNED - HOUR), endDate: iso(PINNED - 1), bucketSize: 3600 };
	const events = await runNode({
		parameters: {
			...base(),
			metric: 'events',
			...range,
			filters: { deviceGroup: rl('name', group), deviceOsVersion: device.system_firmware_version, productFirmware: device.firmware_version },
		},
		credentials: user(),
	});
	const functions = await runNode({ parameters: { ...base(), metric: 'functions', ...range }, credentials: user() });
	const window = { start_date: iso(PINNED - HOUR), end_date: iso(PINNED - 1), bucket_size: '3600' };
	expectCalls(
		{
			path: `/v1/products/${product().id}/metrics/events`,
			query: { ...window, device_group: group, device_os_version: device.system_firmware_version, product_fw: String(device.firmware_version) },
		},
		{ path: `/v1/products/${product().id}/metrics/functions`, query: window },
	);
	expect(events.items.map((item) => item.json)).toEqual([{ metric: 'events', time: iso(PINNED - HOUR), received: 1 }]);
	expect(functions.items.map((item) => item.json)).toEqual([{ metric: 'functions', time: iso(PINNED - HOUR), success: 1, failure: 0, offline: 0 }]);
});

it('Integrations and Variable Reads: every documented count present on every item', async () => {
	const range = { startDate: iso(PINNED - 2 * HOUR), endDate: iso(PINNED), bucketSize: 1800 };
	const integrations = await runNode({ parameters: { ...base(), metric: 'integration', ...range }, credentials: user() });
	const variables = await runNode({ parameters: { ...base(), metric: 'variables', ...range }, credentials: user() });
	expect(apiCalls(cloud()).map((call) => call.path)).toEqual([
		`/v1/products/${product().id}/metrics/integration`,
		`/v1/products/${product().id}/metrics/variables`,
	]);
	expect(integrations.items).toHaveLength(5);
	for (const item of integrations.items) expect(Object.keys(item.json)).toEqual(['metric', 'time', 'success', 'failure', 'sleep']);
	for (const item of variables.items) expect(Object.keys(item.json).sort()).toEqual(['failure', 'metric', 'offline', 'success', 'time']);
});

it('one run per input item, each with its own range', async () => {
	const result = await runNode({
		parameters: { ...base(), metric: 'online', startDate: '={{ $json.from }}', bucketSize: 900 },
		credentials: user(),
		items: [{ from: iso(PINNED - 15 * 60_000) }, { from: iso(PINNED - 30 * 60_000) }],
	});
	// Without an End Date none is sent: Particle's clock says when now is.
	expect(apiCalls(cloud()).map((call) => call.query)).toEqual([
		{ start_date: iso(PINNED - 15 * 60_000), bucket_size: '900' },
		{ start_date: iso(PINNED - 30 * 60_000), bucket_size: '900' },
	]);
	expect(result.items.map((item) => (item.pairedItem as { item: number }).item)).toEqual([0, 0, 1, 1, 1]);
});

it('refuses bad input before sending: a date that is not one, start after end, a bucket of 15 s, a firmware version that is not whole', async () => {
	const result = await runNode({
		parameters: {
			...base(),
			metric: 'online',
			startDate: '={{ $json.start }}',
			endDate: '={{ $json.end }}',
			bucketSize: '={{ $json.bucket }}',
			filters: { productFirmware: '={{ $json.firmware }}' },
		},
		credentials: user(),
		items: [
			{ start: 'yesterday', end: '', bucket: 900, firmware: 1 },
			{ start: iso(PINNED), end: iso(PINNED - HOUR), bucket: 900, firmware: 1 },
			{ start: iso(PINNED - HOUR), end: '', bucket: 15, firmware: 1 },
			{ start: iso(PINNED - HOUR), end: '', bucket: 900, firmware: 1.5 },
		],
		continueOnFail: true,
	});
	expect(result.items.map((item) => item.json.error)).toEqual([
		'Start Date must be a date and time such as 2026-03-14T12:00:00Z (got "yesterday")',
		`Start Date must be before End Date (${iso(PINNED)} is not before ${iso(PINNED - HOUR)})`,
		'Bucket Size (Seconds) must be a whole number of 16 or more (got 15)',
		'Product Firmware Version must be a whole number of 0 or more (got 1.5)',
	]);
	expect(apiCalls(cloud())).toHaveLength(0);
});
