/**
 * Ledger through n8n's engine against the fake cloud: Get Many (sandbox, product, organization; Particle's archived
 * filter, the node's scope filter), Get / Set / Delete Instance for a device, a product and the owner; what reached
 * the cloud (method, raw path, query, JSON body, bearer token) and the items (pairing); bad input refused before
 * sending; a Set or Delete answered 500 is not sent again.
 */
import type { IDataObject } from 'n8n-workflow';

import { ledgersOf } from '../../fake-cloud/routes/ledger';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

// Product 10001 belongs to the organization; 10002 (Tracker) and 10003 to the user, whose ledgers name their devices.
const cloud = useFakeCloud({ devices: 2, products: 3, productDevices: 4 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const tracker = () => cloud().fleet.products[1];
const trackerDevices = () => cloud().fleet.productDevices(tracker().id);
const org = () => cloud().fleet.organizations[0];
const userLedger = (name: string) => ledgersOf(cloud().fleet).ledgers('user').find((ledger) => ledger.name === name)!;

interface ExpectedCall {
	method: string;
	path: string;
	query?: Record<string, string>;
	body?: unknown;
}

function expectCalls(...expected: ExpectedCall[]): void {
	const calls = apiCalls(cloud());
	expect(calls.map(({ method, path, query, body, authorization }) => ({ method, path, query, body, authorization }))).toEqual(
		expected.map((call) => ({ query: {}, body: undefined, ...call, authorization: `Bearer ${cloud().tokens.user}` })),
	);
	for (const call of calls) if (call.body !== undefined) expect(call.contentType).toMatch(/^application\/json/);
}

const paired = (jsons: unknown[], item = 0) => jsons.map((json) => ({ json, pairedItem: { item } }));

async function direct(path: string): Promise<IDataObject> {
	const response = await fetch(`${cloud().url}${path}`, { headers: { Authorization: `Bearer ${cloud().tokens.user}` } });
	return (await response.json()) as IDataObject;
}

describe('Get Many', () => {
	it('the sandbox ledgers, one item per ledger, all pages', async () => {
		const result = await runNode({ parameters: { resource: 'ledger', operation: 'getAll', returnAll: true }, credentials: user() });
		expectCalls({ method: 'GET', path: '/v1/ledgers', query: { page: '1', perPage: '100' } });
		const { ledgers } = await direct('/v1/ledgers');
		expect(result.items).toEqual(paired(ledgers as IDataObject[]));
		expect(result.items).toHaveLength(5);
	});

	it('Particle’s archived filter is sent; the scope filter is the node’s, and Limit counts what is kept', async () => {
		const result = await runNode({
			parameters: { resource: 'ledger', operation: 'getAll', limit: 1, filters: { archived: 'false', scope: 'Device' } },
			credentials: user(),
		});
		expectCalls({ method: 'GET', path: '/v1/ledgers', query: { archived: 'false', page: '1', perPage: '100' } });
		expect(result.items.map((item) => [item.json.name, item.json.scope])).toEqual([['device-config', 'Device']]);
	});

	it('a product’s and an organization’s ledgers, by their own routes', async () => {
		const viaProduct = await runNode({
			parameters: { resource: 'ledger', operation: 'getAll', ledgerOwner: 'product', product: rl('list', String(tracker().id)), limit: 2 },
			credentials: user(),
		});
		const viaOrg = await runNode({
			parameters: { resource: 'ledger', operation: 'getAll', ledgerOwner: 'organization', organization: rl('id', org().slug), returnAll: true },
			credentials: user(),
		});
		expectCalls(
			{ method: 'GET', path: `/v1/products/${tracker().id}/ledgers`, query: { page: '1', perPage: '2' } },
			{ method: 'GET', path: `/v1/orgs/${org().slug}/ledgers`, query: { page: '1', perPage: '100' } },
		);
		expect(viaProduct.items.map((item) => item.json.name)).toEqual(['device-config', 'fleet-defaults']);
		expect(viaOrg.items.map((item) => item.json.name)).toEqual(['org-settings']);
	});
});

describe('instances', () => {
	const base = { resource: 'ledger', ledgerName: 'device-config', instanceScope: 'device' };

	it('Set Instance then Get Instance: the data sent as JSON is what Get returns, per input item', async () => {
		const [first, second] = trackerDevices().slice(2);
		const set = await runNode({
			parameters: { ...base, operation: 'setInstance', device: rl('id', '={{ $json.device }}'), data: '={{ JSON.stringify($json.config) }}' },
			credentials: user(),
			items: [
				{ device: first.id, config: { led: 'off', interval_s: 60 } },
				{ device: second.id, config: { led: 'on', thresholds: { temp: 30 } } },
			],
		});
		expectCalls(
			{ method: 'PUT', path: `/v1/ledgers/device-config/instances/${first.id}`, body: { instance: { data: { led: 'off', interval_s: 60 } } } },
			{ method: 'PUT', path: `/v1/ledgers/device-config/instances/${second.id}`, body: { instance: { data: { led: 'on', thresholds: { temp: 30 } } } } },
		);
		expect(set.items.map((item) => [item.pairedItem, item.json.scope, item.json.data])).toEqual([
			[{ item: 0 }, { type: 'Device', value: first.id, name: first.name }, { led: 'off', interval_s: 60 }],
			[{ item: 1 }, { type: 'Device', value: second.id, name: second.name }, { led: 'on', thresholds: { temp: 30 } }],
		]);
		expect(userLedger('device-config').instances.get(first.id)?.data).toEqual({ led: 'off', interval_s: 60 });

		cloud().clearRequests();
		const got = await runNode({ parameters: { ...base, operation: 'getInstance', device: rl('list', second.id) }, credentials: user() });
		expectCalls({ method: 'GET', path: `/v1/ledgers/device-config/instances/${second.id}` });
		const { instance } = await direct(`/v1/ledgers/device-config/instances/${second.id}`);
		expect(got.items).toEqual(paired([instance]));
		expect(got.items[0].json.data).toEqual({ led: 'on', thresholds: { temp: 30 } });
	});

	it('Delete Instance: 204, the item says what went; Get then answers 404', async () => {
		const device = trackerDevices()[0];
		expect(userLedger('device-config').instances.has(device.id)).toBe(true);
		const deleted = await runNode({ parameters: { ...base, operation: 'deleteInstance', device: rl('id', device.id) }, credentials: user() });
		expectCalls({ method: 'DELETE', path: `/v1/ledgers/device-config/instances/${device.id}` });
		expect(deleted.items).toEqual(paired([{ deleted: true, ledgerName: 'device-config', scopeValue: device.id }]));
		expect(userLedger('device-config').instances.has(device.id)).toBe(false);
		const gone = await runNode({ parameters: { ...base, operation: 'getInstance', device: rl('id', device.id) }, credentials: user() });
		expect(gone.error?.httpCode).toBe('404');
	});

	it('a product instance: in a product’s ledgers its Product field names it (a slug is looked up once)', async () => {
		const result = await runNode({
			parameters: {
				resource: 'ledger',
				operation: 'getInstance',
				ledgerOwner: 'product',
				product: rl('id', tracker().slug),
				ledgerName: 'fleet-defaults',
				instanceScope: 'product',
			},
			credentials: user(),
		});
		expectCalls(
			{ method: 'GET', path: `/v1/products/${tracker().slug}` },
			{ method: 'GET', path: `/v1/products/${tracker().slug}/ledgers/fleet-defaults/instances/${tracker().id}` },
		);
		expect(result.items[0].json).toMatchObject({ scope: { type: 'Product', value: String(tracker().id) }, data: { temp: { min: 20, max: 30 } } });
	});

	it('a product instance from the sandbox ledgers, and the owner instance by its ID', async () => {
		const product = await runNode({
			parameters: { resource: 'ledger', operation: 'setInstance', ledgerName: 'fleet-defaults', instanceScope: 'product', instanceProduct: rl('list', String(tracker().id)), data: { temp: { min: 18, max: 28 } } },
			credentials: user(),
		});
		const owner = await runNode({
			parameters: { resource: 'ledger', operation: 'getInstance', ledgerName: 'owner-settings', instanceScope: 'owner', ownerId: cloud().fleet.user.id },
			credentials: user(),
		});
		expectCalls(
			{ method: 'PUT', path: `/v1/ledgers/fleet-defaults/instances/${tracker().id}`, body: { instance: { data: { temp: { min: 18, max: 28 } } } } },
			{ method: 'GET', path: `/v1/ledgers/owner-settings/instances/${cloud().fleet.user.id}` },
		);
		expect(product.items[0].json.data).toEqual({ temp: { min: 18, max: 28 } });
		expect(owner.items[0].json).toMatchObject({ scope: { type: 'Owner', value: cloud().fleet.user.id }, data: { alert_email: cloud().fleet.user.username } });
	});

	it('refuses bad input before sending, item by item: malformed or non-object JSON, no ledger name, a bad device ID, no owner, no product', async () => {
		const device = trackerDevices()[1].id;
		const result = await runNode({
			parameters: {
				resource: 'ledger',
				operation: 'setInstance',
				ledgerName: '={{ $json.name }}',
				instanceScope: '={{ $json.scope }}',
				device: rl('id', '={{ $json.device }}'),
				ownerId: '={{ $json.owner }}',
				data: '={{ $json.data }}',
			},
			credentials: user(),
			items: [
				{ name: 'device-config', scope: 'device', device, data: '{"led": "on",}' },
				{ name: 'device-config', scope: 'device', device, data: '[1, 2]' },
				{ name: ' ', scope: 'device', device, data: '{}' },
				{ name: 'device-config', scope: 'device', device: 'not-a-device', data: '{}' },
				{ name: 'owner-settings', scope: 'owner', owner: '', data: '{}' },
				{ name: 'fleet-defaults', scope: 'product', data: '{}' },
				{ name: 'device-config', scope: 'device', device, data: '{"led": "blink"}' },
			],
			continueOnFail: true,
		});
		expect(result.error?.message).toBeUndefined();
		expect(result.items.map((item) => item.json.error ?? 'sent')).toEqual([
			expect.stringMatching(/^Data is not valid JSON: /),
			'Data must be a JSON object such as {"led": "on"} (got a list)',
			'Ledger Name is empty',
			expect.stringMatching(/^Device ID /),
			'Owner ID is empty',
			expect.stringMatching(/^Instance Product /),
			'sent',
		]);
		expect(result.items.slice(0, 6).every((item) => item.json.description === 'Nothing was sent to Particle.')).toBe(true);
		expectCalls({ method: 'PUT', path: `/v1/ledgers/device-config/instances/${device}`, body: { instance: { data: { led: 'blink' } } } });
	});

	it('a Set or a Delete answered 500 is not sent again', async () => {
		const device = trackerDevices()[1].id;
		const path = `/v1/ledgers/device-config/instances/${device}`;
		cloud().injectFault({ method: 'PUT', path, status: 500, times: 3 });
		cloud().injectFault({ method: 'DELETE', path, status: 503, times: 3 });
		const set = await runNode({ parameters: { ...base, operation: 'setInstance', device: rl('id', device), data: '{"a": 1}' }, credentials: user() });
		const deleted = await runNode({ parameters: { ...base, operation: 'deleteInstance', device: rl('id', device) }, credentials: user() });
		expect([set.error?.httpCode, deleted.error?.httpCode]).toEqual(['500', '503']);
		expect(apiCalls(cloud()).map((call) => call.method)).toEqual(['PUT', 'DELETE']);
	});
});
