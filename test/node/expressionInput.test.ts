/**
 * Issue #11: bad input from expressions gets a clear error naming the field. Each value goes through n8n's engine;
 * with Continue On Fail the bad item becomes an error item for that item only, and nothing is sent to the cloud for
 * it (the fake's recorded requests say so). Also: answers that are not the list the node expects, and product
 * devices found by name past the first page of matches.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FakeDevice } from '../../fake-cloud';
import { apiCalls, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { runListSearch, runNode, runPoll } from '../harness/engine';

const cloud = useFakeCloud({ devices: 4, productDevices: 150 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => String(cloud().productClient.productId);
const product = () => rl('id', productId());
/** An expression that gives the first input item `bad` and every other item `good`. */
const firstItemGets = (bad: string, good: string) => `={{ $itemIndex === 0 ? ${bad} : ${good} }}`;
const refused = (error: string) => ({
	json: { error, description: 'Nothing was sent to Particle.' },
	pairedItem: { item: 0 },
});

/** [expression, how the message shows it] */
const BAD_WHOLE_NUMBERS: Array<[string, string]> = [
	['-2', '-2'],
	['0', '0'],
	['2.5', '2.5'],
	['NaN', 'not a number'],
	['Infinity', 'Infinity'],
	['{}', 'an object'],
	['[3]', 'a list'],
	['"x"', '"x"'],
	['""', 'an empty text'],
	['null', 'nothing'],
	['true', 'true'],
];

describe('Limit from an expression', () => {
	it.each(BAD_WHOLE_NUMBERS)('refuses %s in a sandbox list for that item only, naming the field', async (bad, shown) => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', limit: firstItemGets(bad, '3') },
			credentials: userToken(cloud()),
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(result.items[0]).toEqual(refused(`Limit must be a whole number of 1 or more (got ${shown})`));
		expect(result.items.slice(1)).toHaveLength(3);
		expect(result.items.slice(1).every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
		expect(apiCalls(cloud())).toHaveLength(1);
	});

	it.each(BAD_WHOLE_NUMBERS)('refuses %s in a product list, sending no perPage for it', async (bad, shown) => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'product', product: product(), limit: firstItemGets(bad, '3') },
			credentials: userToken(cloud()),
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(result.items[0]).toEqual(refused(`Limit must be a whole number of 1 or more (got ${shown})`));
		expect(result.items.slice(1)).toHaveLength(3);
		expect(apiCalls(cloud()).map((call) => call.query)).toEqual([{ page: '1', perPage: '3' }]);
	});

	it('takes a numeric text such as "5" as 5', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'product', product: product(), limit: '={{ "5" }}' },
			credentials: userToken(cloud()),
		});
		expect(result.items).toHaveLength(5);
		expect(apiCalls(cloud()).map((call) => call.query)).toEqual([{ page: '1', perPage: '5' }]);
	});

	it('is checked by every Return All / Limit operation: SIMs and customers too', async () => {
		const sims = await runNode({
			parameters: { resource: 'sim', operation: 'getAll', limit: '={{ -2 }}' },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		const customers = await runNode({
			parameters: { resource: 'customer', operation: 'getAll', product: product(), limit: '={{ NaN }}' },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		expect(sims.items).toEqual([refused('Limit must be a whole number of 1 or more (got -2)')]);
		expect(customers.items).toEqual([refused('Limit must be a whole number of 1 or more (got not a number)')]);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('without Continue On Fail, stops the run with a NodeOperationError that points at the item', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', limit: '={{ $json.limit }}' },
			credentials: userToken(cloud()),
			items: [{ limit: 2 }, { limit: -2 }],
		});
		expect(result.status).toBe('error');
		// The run data holds the error serialized: its class survives as `name`.
		expect(result.error?.name).toBe(NodeOperationError.name);
		expect(result.error?.message).toBe('Limit must be a whole number of 1 or more (got -2)');
		expect(result.error?.context?.itemIndex).toBe(1);
	});
});

describe('Customer > Create Token lifetime from an expression', () => {
	const customer = () => cloud().fleet.products[0].customers[0].username;
	const customerTokenRequests = () =>
		tokenExchanges(cloud()).filter((call) => String((call.body as Record<string, string>).scope ?? '').startsWith('customer='));

	it.each<[string, string]>([
		['0', '0'],
		['"soon"', '"soon"'],
		['-60', '-60'],
		['59', '59'],
		['90.5', '90.5'],
		['NaN', 'not a number'],
		['{}', 'an object'],
	])('refuses %s for that item only: no token is minted for it', async (bad, shown) => {
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createToken', product: product(), customer: customer(), expiresIn: firstItemGets(bad, '600') },
			credentials: productClient(cloud()),
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(result.items[0]).toEqual(refused(`Lifetime (Seconds) must be a whole number of 60 or more (got ${shown})`));
		expect(result.items[1]).toEqual({ json: expect.objectContaining({ customer: customer(), expires_in: 600 }), pairedItem: { item: 1 } });
		expect(customerTokenRequests().map((call) => (call.body as Record<string, string>).expires_in)).toEqual(['600']);
	});

	it('takes a numeric text such as "3600" as 3600', async () => {
		const result = await runNode({
			parameters: { resource: 'customer', operation: 'createToken', product: product(), customer: customer(), expiresIn: '={{ "3600" }}' },
			credentials: productClient(cloud()),
		});
		expect(result.items[0].json).toMatchObject({ expires_in: 3600 });
		expect(customerTokenRequests().map((call) => (call.body as Record<string, string>).expires_in)).toEqual(['3600']);
	});
});

describe('Particle Trigger parameters from expressions', () => {
	const productPoll = (parameters: INodeParameters) =>
		runPoll({
			parameters: { events: ['deviceWentOffline'], deviceScope: 'product', product: product(), ...parameters },
			credentials: userToken(cloud()),
			staticData: {},
		});
	const sandboxPoll = (parameters: INodeParameters) =>
		runPoll({ parameters: { events: ['deviceWentOffline'], deviceScope: 'sandbox', ...parameters }, credentials: userToken(cloud()), staticData: {} });

	it('takes a group name an expression made a number as its text', async () => {
		await productPoll({ filters: { groups: '={{ 2024 }}' } });
		expect(apiCalls(cloud())[0].query).toMatchObject({ groups: '2024' });
	});

	it('takes a list of group names from an expression', async () => {
		await productPoll({ filters: { groups: '={{ ["field", " beta "] }}' } });
		expect(apiCalls(cloud())[0].query).toMatchObject({ groups: 'field,beta' });
	});

	it.each<[string, INodeParameters, string]>([
		['an object as Groups', { filters: { groups: '={{ { a: 1 } }}' } }, 'Groups must be text or a list of group names (got an object)'],
		['a list holding an object as Groups', { filters: { groups: '={{ [{ a: 1 }] }}' } }, 'Groups must be text or a list of group names (got a list holding an object)'],
		['a number as Device ID', { filters: { deviceId: '={{ 123 }}' } }, 'Device ID must be 24 hexadecimal characters (got 3 characters)'],
		['a list as Device ID', { filters: { deviceId: '={{ ["a", "b"] }}' } }, 'Device ID must be a single device ID (got a list)'],
		['an object as Device ID', { filters: { deviceId: '={{ {} }}' } }, 'Device ID must be a single device ID (got an object)'],
		['an object as Product', { product: rl('id', '={{ {} }}') }, 'Product must be a product ID or slug (got an object)'],
	])('refuses %s, naming the field, before any request', async (_, parameters, message) => {
		await expect(productPoll(parameters)).rejects.toThrow(message);
		expect(apiCalls(cloud())).toEqual([]);
	});

	const thresholdParameters = (overrides: INodeParameters): INodeParameters => ({
		events: ['vitalsThreshold'],
		thresholdField: 'device.power.battery.charge',
		thresholdOperator: 'below',
		thresholdValue: 20,
		...overrides,
	});

	it.each<[string, INodeParameters, string]>([
		['a text as Threshold', thresholdParameters({ thresholdValue: '={{ "x" }}' }), 'Threshold must be a number (got "x")'],
		['NaN as Threshold', thresholdParameters({ thresholdValue: '={{ NaN }}' }), 'Threshold must be a number (got not a number)'],
		['an object as Threshold', thresholdParameters({ thresholdValue: '={{ {} }}' }), 'Threshold must be a number (got an object)'],
		['an object as Vitals Path', thresholdParameters({ thresholdField: 'custom', thresholdPath: '={{ {} }}' }), 'Vitals Path must be text (got an object)'],
		['an empty Vitals Path', thresholdParameters({ thresholdField: 'custom', thresholdPath: '={{ "  " }}' }), 'Vitals Path is empty'],
		['an unknown operator', thresholdParameters({ thresholdOperator: '={{ "equals" }}' }), 'Fire When the Value Is must be "above" or "below" (got "equals")'],
		['a text as Consider Offline After', { options: { offlineAfterMinutes: '={{ "soon" }}' } }, 'Consider Offline After (Minutes) must be a number of 0 or more (got "soon")'],
		['a negative Consider Offline After', { options: { offlineAfterMinutes: '={{ -5 }}' } }, 'Consider Offline After (Minutes) must be a number of 0 or more (got -5)'],
		['an unknown event', { events: '={{ ["deviceExploded"] }}' }, 'Events must be one of "deviceWentOffline", "deviceCameOnline", "vitalsThreshold", "vitalsUpdated" (got "deviceExploded")'],
	])('refuses %s, naming the field', async (_, parameters, message) => {
		await expect(sandboxPoll(parameters)).rejects.toThrow(message);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('takes a numeric text as Threshold and one event name as a list of one', async () => {
		const staticData: IDataObject = {};
		const parameters = thresholdParameters({ events: '={{ "vitalsThreshold" }}', thresholdValue: '={{ "20" }}' });
		const output = await runPoll({ parameters: { deviceScope: 'sandbox', ...parameters }, credentials: userToken(cloud()), staticData });
		expect(output).toBeNull();
		// The poll ran and saved its baseline (the compact state of fleetState.ts).
		expect(staticData).toHaveProperty(['node:Particle', 'fleet', 'v'], 2);
	});
});

describe('an answer without the list the node expects', () => {
	const answerWith = (path: RegExp, body: unknown) => cloud().injectFault({ path, status: 200, body });

	it('Device > Get Many (sandbox): a clear error item for that item only, not a TypeError', async () => {
		answerWith(/^\/v1\/devices$/, { ok: true });
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true },
			credentials: userToken(cloud()),
			items: [{}, {}],
			continueOnFail: true,
		});
		expect(result.items[0]).toEqual({
			json: {
				error: 'Particle answered without a device list',
				description: expect.stringMatching(/an object where a list was expected/),
				httpCode: '200',
			},
			pairedItem: { item: 0 },
		});
		expect(result.items.slice(1).length).toBe(cloud().fleet.sandboxDevices().length);
	});

	it('stops the run with a NodeApiError without Continue On Fail', async () => {
		answerWith(/^\/v1\/devices$/, { devices: [] });
		const result = await runNode({
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true },
			credentials: userToken(cloud()),
		});
		expect(result.error?.name).toBe(NodeApiError.name);
		expect(result.error?.message).toBe('Particle answered without a device list');
		expect(result.error?.context?.itemIndex).toBe(0);
	});

	it.each<[string, () => INodeParameters, RegExp, unknown, string]>([
		['SIM > Get Many (sandbox)', () => ({ resource: 'sim', operation: 'getAll', returnAll: true }), /^\/v1\/sims$/, { sims: { a: 1 } }, 'SIM list'],
		['SIM > Get Data Usage by day', () => ({ resource: 'sim', operation: 'getDataUsage', iccid: '89340765000000000001', splitByDay: true }), /data_usage$/, { usage_by_day: 'none' }, 'list of days'],
		['Vitals > Get History', () => ({ resource: 'vitals', operation: 'getHistory', device: rl('id', 'a'.repeat(24)), startDate: '={{ $now.minus(1, "day").toISO() }}' }), /^\/v1\/diagnostics\//, { diagnostics: {} }, 'list of vitals records'],
		['API User > Get Many', () => ({ resource: 'apiUser', operation: 'getAll', owner: 'product', product: product() }), /\/team$/, { team: {} }, 'team list'],
		['Product > Get Many', () => ({ resource: 'product', operation: 'getAll' }), /^\/v1\/products$/, { products: {} }, 'product list'],
		['Product > Get Team Members', () => ({ resource: 'product', operation: 'getTeamMembers', product: product() }), /\/team$/, {}, 'team list'],
		['Organization > Get Many', () => ({ resource: 'organization', operation: 'getAll' }), /^\/v1\/orgs$/, { organizations: 7 }, 'organization list'],
		['Service Agreement > Get Many', () => ({ resource: 'serviceAgreement', operation: 'getAll', owner: 'user' }), /service_agreements$/, { data: {} }, 'service agreement list'],
		['Service Agreement > Get Notifications', () => ({ resource: 'serviceAgreement', operation: 'getNotifications', owner: 'user', agreementId: '1001' }), /notifications$/, { data: [1] }, 'notification list'],
	])('%s', async (_, parameters, path, body, what) => {
		answerWith(path, body);
		const result = await runNode({ parameters: parameters(), credentials: userToken(cloud()), continueOnFail: true });
		expect(result.items).toEqual([
			{ json: { error: `Particle answered without a ${what}`, description: expect.any(String), httpCode: '200' }, pairedItem: { item: 0 } },
		]);
	});

	it('the polling trigger fails the poll with the same clear message', async () => {
		answerWith(/^\/v1\/devices$/, { devices: [] });
		await expect(
			runPoll({ parameters: { events: ['deviceWentOffline'], deviceScope: 'sandbox' }, credentials: userToken(cloud()), staticData: {} }),
		).rejects.toThrow('Particle answered without a device list');
	});

	it('the device picker says so too', async () => {
		answerWith(/^\/v1\/devices$/, 42);
		await expect(
			runListSearch({ method: 'searchDevices', parameters: { deviceScope: 'sandbox' }, credentials: userToken(cloud()) }),
		).rejects.toThrow('Particle answered without a device list');
	});
});

describe('a product device by name, with more than 100 devices whose names contain it', () => {
	const NAME = 'pump';
	let saved: Array<{ device: FakeDevice; name: string; lastHeard: string | null }> = [];

	/** Every product device gets a name containing NAME; the ones given come last in Particle's default order. */
	function nameFleet(exact: FakeDevice[]): void {
		const devices = cloud().fleet.productDevices(Number(productId()));
		saved = devices.map((device) => ({ device, name: device.name, lastHeard: device.last_heard }));
		devices.forEach((device, index) => {
			device.name = `${NAME}-${String(index).padStart(3, '0')}`;
		});
		for (const device of exact) {
			device.name = NAME;
			// The default order is newest connection first: the oldest is on the last page.
			device.last_heard = '2001-01-01T00:00:00.000Z';
		}
	}

	afterEach(() => {
		for (const { device, name, lastHeard } of saved) {
			device.name = name;
			device.last_heard = lastHeard;
		}
		saved = [];
	});

	const getByName = () =>
		runNode({
			parameters: { resource: 'device', operation: 'get', deviceScope: 'product', product: product(), device: rl('name', NAME) },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});

	it('pages through all matches and picks the exact one', async () => {
		const target = cloud().fleet.productDevices(Number(productId()))[40];
		nameFleet([target]);
		const result = await getByName();
		const listPath = `/v1/products/${productId()}/devices`;
		expect(apiCalls(cloud()).map((call) => [call.path, call.query])).toEqual([
			[listPath, { deviceName: NAME, page: '1', perPage: '100' }],
			[listPath, { deviceName: NAME, page: '2', perPage: '100' }],
			[`${listPath}/${target.id}`, {}],
		]);
		expect(result.items).toEqual([{ json: expect.objectContaining({ id: target.id, name: NAME }), pairedItem: { item: 0 } }]);
	});

	it('refuses a name that two devices have exactly, naming both IDs', async () => {
		const devices = cloud().fleet.productDevices(Number(productId()));
		const [first, second] = [devices[10], devices[20]];
		nameFleet([second]);
		first.name = NAME;
		const result = await getByName();
		expect(result.items).toEqual([
			{
				json: {
					error: `2 devices in this product are named "${NAME}": ${[first.id, second.id].sort().join(', ')}`,
					description: 'Device names are matched exactly. Pick the device from the list, or use its ID.',
				},
				pairedItem: { item: 0 },
			},
		]);
		// Only the lookup was sent: no device was read, changed or called.
		expect(apiCalls(cloud()).every((call) => call.path === `/v1/products/${productId()}/devices`)).toBe(true);
	});
});
