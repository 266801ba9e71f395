/**
 * One options collection per operation (issue #18): where an operation has Options of its own, Concurrency is in
 * them and "Item Processing" is not shown; a workflow saved with the older Item Processing > Concurrency keeps it.
 * The description is judged with n8n's own display rules (NodeHelpers), the runs go through n8n's engine against the
 * fake cloud, which counts how many requests it was serving at once.
 */
import type { INode, INodeParameters, INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { RecordedRequest } from '../../fake-cloud';
import { CUSTOM_API_CALL_KEY } from '../../nodes/Particle/actions/customApiCall/httpRequestCall';
import { concurrencyOption, MAX_CONCURRENCY, OWN_OPTIONS, ownOptionsName } from '../../nodes/Particle/actions/common';
import { Particle } from '../../nodes/Particle/Particle.node';
import { apiCalls, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import type { CredentialData } from '../harness/credentials';
import { runNode } from '../harness/engine';

// Enough online devices for one per item: items for the same device run one after the other (the router's lanes).
const cloud = useFakeCloud({ devices: 30, productDevices: 4 });

const description: INodeTypeDescription = new Particle().description;
const node: INode = { id: 'n', name: 'Particle', type: 'n8n-nodes-particle.particle', typeVersion: 1, position: [0, 0], parameters: {} };
/** Collections that say what is sent to Particle (list filters, a webhook's fields), not how the node runs. */
const DATA_COLLECTIONS = ['Additional Fields', 'Filters', 'Update Fields'];

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const optionsOf = (property: INodeProperties | undefined): INodePropertyOptions[] => (property?.options ?? []) as INodePropertyOptions[];
const maxInFlight = (calls: RecordedRequest[]): number => Math.max(...calls.map((call) => call.inFlight));
const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString();
/** A Concurrency that differs from the default, whatever the default is, so a lost setting shows. */
const WANTED = Math.min(Number(concurrencyOption.default) + 2, MAX_CONCURRENCY);

/** Every resource and operation the editor offers (n8n's Custom API Call left out: the editor shows no fields there). */
function pairs(): Array<[string, string]> {
	const resources = optionsOf(description.properties.find((property) => property.name === 'resource')).map((option) => String(option.value));
	return resources
		.filter((resource) => resource !== CUSTOM_API_CALL_KEY)
		.flatMap((resource) =>
			description.properties
				.filter((property) => property.name === 'operation' && (property.displayOptions?.show?.resource ?? []).includes(resource))
				.flatMap((property) => optionsOf(property).map((option) => String(option.value)))
				.filter((operation) => operation !== CUSTOM_API_CALL_KEY)
				.map((operation): [string, string] => [resource, operation]),
		);
}

/**
 * The values of every other field a collection's visibility depends on (Devices In, Output...), each combination
 * once: read from the collections' display rules and those fields' own options, so a new rule is covered too.
 */
function variants(): INodeParameters[] {
	const names = new Set<string>();
	for (const property of description.properties) {
		if (property.type !== 'collection' && property.type !== 'hidden') continue;
		for (const rules of [property.displayOptions?.show, property.displayOptions?.hide]) {
			for (const name of Object.keys(rules ?? {})) if (name !== 'resource' && name !== 'operation') names.add(name);
		}
		// An option inside a collection names the node's own fields with a leading "/".
		for (const option of optionsOf(property) as unknown as INodeProperties[]) {
			for (const name of Object.keys(option.displayOptions?.show ?? {})) if (name.startsWith('/')) names.add(name.slice(1));
		}
	}
	let combinations: INodeParameters[] = [{}];
	for (const name of names) {
		const field = description.properties.find((property) => property.name === name && (property.type === 'options' || property.type === 'boolean'));
		const values = field?.type === 'boolean' ? [true, false] : optionsOf(field).map((option) => option.value);
		expect(values.length).toBeGreaterThan(0);
		combinations = combinations.flatMap((combination) => values.map((value) => ({ ...combination, [name]: value })));
	}
	return combinations;
}

/** The fields n8n shows (or keeps, for hidden ones) for these parameters, after its own parameter resolution. */
function shown(parameters: INodeParameters): { values: INodeParameters; fields: INodeProperties[] } {
	const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
	return { values, fields: description.properties.filter((property) => NodeHelpers.displayParameter(values, property, node, description)) };
}

const hasConcurrency = (property: INodeProperties): boolean => optionsOf(property).some((option) => option.name === 'concurrency');

describe('the description: one options collection per operation', () => {
	const everyPair = pairs();

	it('covers every operation of the node, including each one with Options of its own', () => {
		expect(everyPair.length).toBeGreaterThan(40);
		for (const [resource, byOperation] of Object.entries(OWN_OPTIONS)) {
			for (const operation of Object.keys(byOperation)) expect(everyPair).toContainEqual([resource, operation]);
		}
	});

	it.each(everyPair)('%s > %s shows at most one options collection, with Concurrency, in every variant', (resource, operation) => {
		const own = ownOptionsName(resource, operation);
		for (const variant of variants()) {
			const { values, fields } = shown({ resource, operation, ...variant });
			const collections = fields.filter((field) => field.type === 'collection');
			const options = collections.filter((field) => !DATA_COLLECTIONS.includes(field.displayName));
			const context = JSON.stringify(variant);
			expect([context, options.map((field) => `${field.displayName} (${field.name})`)]).toEqual([
				context,
				[own === undefined ? 'Item Processing (itemProcessing)' : `Options (${own})`],
			]);
			expect(hasConcurrency(options[0])).toBe(true);
			// Concurrency nowhere else, and a filter or a webhook field is never called Options.
			expect(collections.filter(hasConcurrency)).toEqual([options[0]]);
			// Where Concurrency is in the operation's Options, the older Item Processing value is kept by a hidden field.
			const hidden = fields.filter((field) => field.name === 'itemProcessing' && field.type === 'hidden');
			expect(hidden).toHaveLength(own === undefined ? 0 : 1);
			// What n8n resolved holds the shown collection (its default), so the run can read it.
			expect(values[options[0].name]).toEqual({});
		}
	});

	it('sorts every options collection by display name', () => {
		for (const property of description.properties.filter((field) => field.type === 'collection' && hasConcurrency(field))) {
			const names = optionsOf(property).map((option) => (option as unknown as INodeProperties).displayName);
			expect([property.name, names]).toEqual([property.name, [...names].sort((a, b) => a.localeCompare(b))]);
		}
	});

	it('Vitals > Get History: Options always, its CSV options only with CSV File output', () => {
		const csvOptions = description.properties.find((property) => property.name === 'csvOptions');
		expect(csvOptions).toBeDefined();
		// As the editor asks inside a collection: the collection's path, the node's parameters as the root.
		const offered = (output: string): string[] => {
			const { values } = shown({ resource: 'vitals', operation: 'getHistory', output });
			return optionsOf(csvOptions)
				.filter((option) => NodeHelpers.displayParameterPath({ parameters: values }, option as unknown as INodeProperties, 'parameters.csvOptions', node, description))
				.map((option) => (option as unknown as INodeProperties).displayName);
		};
		expect(offered('items')).toEqual(['Concurrency']);
		expect(offered('csv')).toEqual(['Concurrency', 'CSV Layout', 'Include Device Details', 'One File for All Items']);
	});

	it('Device and Customer > Create Claim Code offer the same options: Concurrency, ICCID, IMEI', () => {
		for (const resource of ['device', 'customer']) {
			const claimOptions = description.properties.find(
				(property) => property.name === 'claimOptions' && (property.displayOptions?.show?.resource ?? []).includes(resource),
			);
			expect(optionsOf(claimOptions).map((option) => option.name)).toEqual(['concurrency', 'iccid', 'imei']);
		}
	});
});

interface Case {
	name: string;
	/** The operation's parameters for N items, without Concurrency. */
	parameters(): INodeParameters;
	items(count: number): Array<Record<string, string>>;
	credentials(): CredentialData;
	/** The requests of one item as they reach the fake (token exchanges aside). */
	requestsPerItem: number;
	/** What each item's request must carry. */
	check?(calls: RecordedRequest[], items: Array<Record<string, string>>): void;
}

const onlineIds = () => cloud().fleet.sandboxDevices().filter((device) => device.online).map((device) => device.id);
function distinct<T>(values: T[], count: number): T[] {
	if (values.length < count) throw new Error(`the fake has ${values.length} online devices, the case needs ${count}`);
	return values.slice(0, count);
}
const customers = () => cloud().fleet.products[0].customers.map((customer) => customer.username);

const cases: Case[] = [
	{
		name: 'Vitals > Get History (items)',
		parameters: () => ({ resource: 'vitals', operation: 'getHistory', device: rl('id', '={{ $json.id }}'), startDate: hoursAgo(3) }),
		items: (count) => distinct(onlineIds(), count).map((id) => ({ id })),
		credentials: () => userToken(cloud()),
		requestsPerItem: 1,
		check: (calls, items) => expect(calls.map((call) => call.path).sort()).toEqual(items.map((item) => `/v1/diagnostics/${item.id}`).sort()),
	},
	{
		name: 'Vitals > Get History (CSV File)',
		parameters: () => ({ resource: 'vitals', operation: 'getHistory', device: rl('id', '={{ $json.id }}'), startDate: hoursAgo(3), output: 'csv' }),
		items: (count) => distinct(onlineIds(), count).map((id) => ({ id })),
		credentials: () => userToken(cloud()),
		// The device lookup (for its name), then Particle's CSV.
		requestsPerItem: 2,
		check: (calls) => expect(calls.filter((call) => call.headers.accept === 'text/csv').length).toBe(calls.length / 2),
	},
	{
		name: 'Device > Create Claim Code (sandbox)',
		parameters: () => ({ resource: 'device', operation: 'createClaimCode', deviceScope: 'sandbox' }),
		items: (count) => Array.from({ length: count }, () => ({})),
		credentials: () => userToken(cloud()),
		requestsPerItem: 1,
		check: (calls) => expect(new Set(calls.map((call) => `${call.method} ${call.path} ${call.status}`))).toEqual(new Set(['POST /v1/device_claims 200'])),
	},
	{
		name: 'Customer > Create Claim Code',
		parameters: () => ({
			resource: 'customer',
			operation: 'createClaimCode',
			product: rl('id', String(cloud().productClient.productId)),
			customer: '={{ $json.customer }}',
		}),
		// One customer: its token is minted once (token requests go one at a time), then every claim runs at once.
		items: (count) => Array.from({ length: count }, () => ({ customer: customers()[0] })),
		credentials: () => productClient(cloud()),
		requestsPerItem: 1,
		check: (calls) => {
			expect(new Set(calls.map((call) => `${call.method} ${call.path} ${call.status}`))).toEqual(
				new Set([`POST /v1/products/${cloud().productClient.productId}/device_claims 200`]),
			);
			// One customer token, reused by the customer's other items while they run at once.
			expect(tokenExchanges(cloud()).filter((call) => String((call.body as Record<string, string>).scope ?? '').startsWith('customer='))).toHaveLength(1);
		},
	},
];

/** The collection a case keeps its options in, and Concurrency set there. */
function withOwnConcurrency(parameters: INodeParameters, concurrency: number): INodeParameters {
	const own = ownOptionsName(parameters.resource, parameters.operation);
	if (own === undefined) throw new Error(`${String(parameters.resource)} > ${String(parameters.operation)} has no Options of its own`);
	return { ...parameters, [own]: { concurrency } };
}

afterEach(() => cloud().setLatency(0));

describe.each(cases)('$name', (spec) => {
	const count = WANTED + 3;

	async function run(parameters: INodeParameters) {
		cloud().setLatency(150);
		const items = spec.items(count);
		const result = await runNode({ parameters, credentials: spec.credentials(), items });
		expect([result.status, result.error?.message]).toEqual(['success', undefined]);
		const calls = apiCalls(cloud());
		expect(calls).toHaveLength(count * spec.requestsPerItem);
		spec.check?.(calls, items);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			expect.arrayContaining(items.map((_, index) => ({ item: index }))),
		);
		return maxInFlight(cloud().requests);
	}

	it('runs items concurrently with Concurrency from its Options', async () => {
		expect(await run(withOwnConcurrency(spec.parameters(), WANTED))).toBe(WANTED);
	});

	it('keeps the Concurrency of a workflow saved with the older Item Processing', async () => {
		expect(await run({ ...spec.parameters(), itemProcessing: { concurrency: WANTED } })).toBe(WANTED);
	});

	it('uses the Concurrency default when none is set', async () => {
		expect(await run(spec.parameters())).toBe(Math.min(Number(concurrencyOption.default), count));
	});
});

describe('the options next to Concurrency still reach Particle', () => {
	it('Customer > Create Claim Code sends ICCID and IMEI from its Options', async () => {
		const [customer] = customers();
		const result = await runNode({
			parameters: {
				resource: 'customer',
				operation: 'createClaimCode',
				product: rl('id', String(cloud().productClient.productId)),
				customer,
				claimOptions: { iccid: ' 89014103211118510720 ', imei: '352753090000000', concurrency: 2 },
			},
			credentials: productClient(cloud()),
		});
		expect(result.status).toBe('success');
		const [claim] = apiCalls(cloud());
		expect(claim.body).toEqual({ iccid: '89014103211118510720', imei: '352753090000000' });
		expect(cloud().fleet.claimCodes.at(-1)).toMatchObject({ claim_code: result.items[0].json.claim_code, owner: customer, iccid: '89014103211118510720' });
	});

	it('Vitals > Get History keeps its CSV layout beside Concurrency', async () => {
		const [id] = onlineIds();
		const result = await runNode({
			parameters: {
				resource: 'vitals',
				operation: 'getHistory',
				device: rl('id', id),
				startDate: hoursAgo(3),
				output: 'csv',
				csvOptions: { layout: 'operator', includeDeviceName: false, concurrency: WANTED },
			},
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('success');
		// The operator layout is built by the node from JSON records: no CSV asked of Particle, no device lookup.
		expect(apiCalls(cloud()).map((call) => [call.path, call.headers.accept])).toEqual([[`/v1/diagnostics/${id}`, 'application/json']]);
		expect(result.items[0].json).toMatchObject({ deviceId: id, layout: 'operator' });
	});
});
