/**
 * Issue #17: the Groups filters (polling trigger, Device > Get Many, Location > Get Fleet Locations) pick from the
 * product's groups. Through n8n's engine against the fake cloud: a picked list and a workflow's older comma-separated
 * text send the same request, an object from an expression is refused with nothing sent, and getGroups lists the
 * chosen product's groups as the fake has them.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode, INodeParameters, INodeProperties, INodePropertyOptions, INodeType } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { Particle } from '../../nodes/Particle/Particle.node';
import { ParticleTrigger } from '../../nodes/ParticleTrigger/ParticleTrigger.node';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { TestCredentialsHelper } from '../harness/credentials';
import { additionalDataFor, CREDENTIAL_ID, runNode, runPoll } from '../harness/engine';
import { nodeTypes, PACKAGE_PREFIX } from '../harness/nodeTypes';

// Product 10001 has the seeded groups on its devices; 10002 is the Asset Tracker product (fleet locations).
const cloud = useFakeCloud({ devices: 2, products: 2, productDevices: 6 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const product = (index = 0) => cloud().fleet.products[index];
const picked = (index = 0) => rl('list', String(product(index).id));
const inGroups = (index: number, groups: string[]) =>
	cloud()
		.fleet.productDevices(product(index).id)
		.filter((device) => device.groups.some((group) => groups.includes(group)));

/** Calls a `loadOptions` method the way the editor does, through n8n-core's load-options context. */
async function runLoadOptions(type: 'particle' | 'particleTrigger', parameters: INodeParameters, method = 'getGroups'): Promise<INodePropertyOptions[]> {
	const credentialsHelper = new TestCredentialsHelper();
	credentialsHelper.store.set(CREDENTIAL_ID, { sessionToken: '', ...user() });
	const node: INode = {
		id: 'node-1',
		name: 'Particle',
		type: `${PACKAGE_PREFIX}${type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
	};
	const workflow = new Workflow({ id: 'workflow-1', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor(credentialsHelper);
	additionalData.currentNodeParameters = parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.filters');
	const loader = nodeTypes.getByNameAndVersion(node.type).methods?.loadOptions?.[method];
	if (!loader) throw new Error(`No loadOptions method ${method}`);
	return await loader.call(context);
}

const poll = (groups: string | string[]) =>
	runPoll({
		parameters: { events: ['deviceWentOffline'], deviceScope: 'product', product: picked(), filters: { groups } },
		credentials: user(),
		staticData: {},
	});
const getMany = (groups: string | string[]) =>
	runNode({
		parameters: { resource: 'device', operation: 'getAll', deviceScope: 'product', product: picked(), returnAll: true, filters: { groups } },
		credentials: user(),
	});
const fleetLocations = (groups: string | string[]) =>
	runNode({ parameters: { resource: 'location', operation: 'getFleet', product: picked(1), returnAll: true, filters: { groups } }, credentials: user() });

describe('the Groups fields', () => {
	const groupsFields = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((property) => [
			...(property.name === 'groups' && property.type === 'multiOptions' ? [property] : []),
			...groupsFields((property.options ?? []).filter((option): option is INodeProperties => 'type' in option)),
		]);

	it.each<[string, INodeType, string[]]>([
		['Particle', new Particle(), ['device:getAll', 'location:getFleet']],
		['Particle Trigger', new ParticleTrigger(), ['']],
	])('%s: each Groups filter is a multi-select of the product\'s groups, its method registered', (_node, nodeType, where) => {
		const filters = nodeType.description.properties.filter((property) => property.name === 'filters');
		const found = filters.flatMap((collection) => groupsFields([collection]).map((field) => ({ collection, field })));
		const shownFor = found.map(({ collection }) => {
			const show = collection.displayOptions?.show ?? {};
			return show.resource ? `${String(show.resource)}:${String(show.operation)}` : '';
		});
		expect(shownFor.sort()).toEqual(where);
		for (const { field } of found) {
			expect(field).toMatchObject({ default: [], typeOptions: { loadOptionsMethod: 'getGroups', loadOptionsDependsOn: ['product.value'] } });
			expect(field.description).toMatch(/comma-separated text/);
		}
		expect(Object.keys(nodeType.methods?.loadOptions ?? {})).toContain('getGroups');
	});
});

describe('a picked list and an older workflow\'s comma-separated text send the same request', () => {
	it('Particle Trigger: one comma-separated `groups`', async () => {
		await poll(['beta', 'indoor']);
		const [fromList] = apiCalls(cloud());
		cloud().clearRequests();
		await poll(' beta , indoor ');
		const [fromText] = apiCalls(cloud());
		expect(fromList.path).toBe(`/v1/products/${product().id}/devices`);
		expect(fromList.query).toMatchObject({ groups: 'beta,indoor' });
		expect(fromText.query).toEqual(fromList.query);
	});

	it('Device > Get Many: one comma-separated `groups`; the devices of those groups out', async () => {
		const fromList = await getMany(['beta', 'indoor']);
		const listCalls = apiCalls(cloud()).map(({ path, query }) => ({ path, query }));
		cloud().clearRequests();
		const fromText = await getMany('beta,indoor');
		expect(listCalls).toEqual([{ path: `/v1/products/${product().id}/devices`, query: expect.objectContaining({ groups: 'beta,indoor' }) }]);
		expect(apiCalls(cloud()).map(({ path, query }) => ({ path, query }))).toEqual(listCalls);
		const expected = inGroups(0, ['beta', 'indoor']).map((device) => device.id).sort();
		expect(expected.length).toBeGreaterThan(0);
		expect(expected.length).toBeLessThan(cloud().fleet.productDevices(product().id).length);
		expect(fromList.items.map((item) => item.json.id).sort()).toEqual(expected);
		expect(fromText.items).toEqual(fromList.items);
	});

	it('Location > Get Fleet Locations: the reference\'s String[], one value each', async () => {
		const fromList = await fleetLocations(['beta', 'outdoor']);
		const listCalls = apiCalls(cloud()).map(({ path, query }) => ({ path, query }));
		cloud().clearRequests();
		const fromText = await fleetLocations('beta, outdoor');
		expect(listCalls).toEqual([{ path: `/v1/products/${product(1).id}/fleet_locations`, query: { 'groups[0]': 'beta', 'groups[1]': 'outdoor' } }]);
		expect(apiCalls(cloud()).map(({ path, query }) => ({ path, query }))).toEqual(listCalls);
		expect(fromList.items.length).toBeGreaterThan(0);
		for (const item of fromList.items) expect(inGroups(1, ['beta', 'outdoor']).map((device) => device.id)).toContain(item.json.device_id);
		expect(fromText.items).toEqual(fromList.items);
	});

	it('an expression\'s list is read as a picked one', async () => {
		await getMany('={{ ["beta", "indoor"] }}');
		expect(apiCalls(cloud())[0].query).toMatchObject({ groups: 'beta,indoor' });
	});
});

describe('an object from an expression is refused, nothing sent', () => {
	const MESSAGE = 'Groups must be text or a list of group names (got an object)';

	it('Particle Trigger', async () => {
		await expect(poll('={{ { beta: true } }}')).rejects.toThrow(MESSAGE);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it.each([
		['Device > Get Many', getMany],
		['Location > Get Fleet Locations', fleetLocations],
	])('%s', async (_operation, run) => {
		const result = await run('={{ { beta: true } }}');
		expect(result.error?.message).toBe(MESSAGE);
		expect(result.error?.description).toBe('Nothing was sent to Particle.');
		expect(result.items).toEqual([]);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('a list holding an object, in the action node too', async () => {
		const result = await getMany('={{ ["beta", { a: 1 }] }}');
		expect(result.error?.message).toBe('Groups must be text or a list of group names (got a list holding an object)');
		expect(apiCalls(cloud())).toEqual([]);
	});
});

describe('getGroups', () => {
	async function createGroup(productId: number, body: IDataObject): Promise<void> {
		const response = await fetch(`${cloud().url}/v1/products/${productId}/groups`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${cloud().tokens.user}`, 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(response.status).toBeLessThan(300);
	}

	it('lists the chosen product\'s groups as the fake has them, with a group made through its API', async () => {
		await createGroup(product().id, { name: 'alpha-testers', description: 'Early builds' });
		await createGroup(product(1).id, { name: 'trucks' });
		cloud().clearRequests();
		const listed = await runLoadOptions('particle', { resource: 'device', operation: 'getAll', deviceScope: 'product', product: picked() });
		expect(apiCalls(cloud()).map(({ method, path, query }) => ({ method, path, query }))).toEqual([{ method: 'GET', path: `/v1/products/${product().id}/groups`, query: {} }]);
		expect(listed.map((option) => option.value)).toEqual([...product().groups].sort());
		expect(listed).toContainEqual({ name: 'alpha-testers', value: 'alpha-testers', description: 'Early builds' });
		expect(listed.map((option) => option.value)).not.toContain('trucks');

		const trigger = await runLoadOptions('particleTrigger', { events: ['deviceWentOffline'], deviceScope: 'product', product: rl('id', String(product(1).id)) });
		expect(trigger.map((option) => option.value)).toEqual([...product(1).groups].sort());
		expect(trigger.map((option) => option.value)).toContain('trucks');
		const fleet = await runLoadOptions('particle', { resource: 'location', operation: 'getFleet', product: picked(1) });
		expect(fleet).toEqual(trigger);
	});

	it.each<[string, 'particle' | 'particleTrigger', INodeParameters]>([
		['no product yet', 'particle', { resource: 'location', operation: 'getFleet', product: rl('list', '') }],
		['a product from an expression', 'particle', { resource: 'device', operation: 'getAll', deviceScope: 'product', product: rl('id', '={{ $json.product }}') }],
		['the trigger without a product', 'particleTrigger', { events: ['deviceWentOffline'], deviceScope: 'product' }],
		['the trigger watching the sandbox (no groups there)', 'particleTrigger', { events: ['deviceWentOffline'], deviceScope: 'sandbox', product: rl('id', '10001') }],
	])('lists nothing and asks nothing for %s', async (_case, type, parameters) => {
		expect(await runLoadOptions(type, parameters)).toEqual([]);
		expect(apiCalls(cloud())).toEqual([]);
	});
});
