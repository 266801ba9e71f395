/**
 * Return All and Limit on the eight Get Many operations that had neither (product and organization Get Many, Get
 * Products, both Get Team Members, API user and service agreement Get Many, Get Notifications), through n8n's engine
 * against the fake cloud. Particle's reference documents no paging for any of these lists: each is read in one
 * request without page parameters, and Limit cuts what came.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { seedServiceAgreement } from '../../fake-cloud/admin';
import { Particle } from '../../nodes/Particle/Particle.node';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ products: 3, productDevices: 2 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const org = () => cloud().fleet.organizations[0];
const productId = () => cloud().fleet.products[0].id;

async function direct(method: string, path: string, body?: IDataObject): Promise<IDataObject> {
	const response = await fetch(`${cloud().url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${cloud().tokens.user}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	expect(response.status).toBe(200);
	return (await response.json()) as IDataObject;
}

beforeAll(async () => {
	// The simulated world, made larger than one entry per list: a second organization, which also owns a second
	// product; a second service agreement for the account and for the organization; API users created the documented
	// way (POST .../team), two in the product and two in the organization, beside the person.
	const now = Date.now();
	cloud().fleet.organizations.push({ id: 'f'.repeat(24), slug: 'second-org', name: 'Second Org' });
	cloud().fleet.products[1].orgId = org().id;
	cloud().fleet.serviceAgreements.push(seedServiceAgreement('1002', 'user', 'User', now), seedServiceAgreement('2002', org().id, 'Organization', now));
	for (const base of [`/v1/products/${productId()}`, `/v1/orgs/${org().slug}`]) {
		for (const name of ['Exporter', 'Reporter']) await direct('POST', `${base}/team`, { friendly_name: name, scopes: ['devices:list'] });
	}
});

interface ListCase {
	name: string;
	parameters: IDataObject;
	path: () => string;
	/** The key of the list in Particle's answer. */
	key: string;
	/** Which of Particle's entries the operation outputs (API users among a team). */
	keep?: (entry: IDataObject) => boolean;
	/** At least this many entries come with Return All, so Limit 1 has something to cut. */
	atLeast: number;
}

const cases: ListCase[] = [
	{ name: 'Product > Get Many', parameters: { resource: 'product', operation: 'getAll' }, path: () => '/v1/products', key: 'products', atLeast: 3 },
	{ name: 'Organization > Get Many', parameters: { resource: 'organization', operation: 'getAll' }, path: () => '/v1/orgs', key: 'organizations', atLeast: 2 },
	{
		name: 'Organization > Get Products',
		parameters: { resource: 'organization', operation: 'getProducts', organization: rl('id', 'acme-iot') },
		path: () => `/v1/orgs/${org().slug}/products`,
		key: 'products',
		atLeast: 2,
	},
	{
		name: 'Organization > Get Team Members',
		parameters: { resource: 'organization', operation: 'getTeamMembers', organization: rl('list', 'acme-iot') },
		path: () => `/v1/orgs/${org().slug}/team`,
		key: 'team',
		atLeast: 3,
	},
	{
		name: 'Product > Get Team Members',
		parameters: { resource: 'product', operation: 'getTeamMembers', product: rl('id', '10001') },
		path: () => `/v1/products/${productId()}/team`,
		key: 'team',
		atLeast: 3,
	},
	{
		name: 'API User > Get Many',
		parameters: { resource: 'apiUser', operation: 'getAll', owner: 'product', product: rl('id', '10001') },
		path: () => `/v1/products/${productId()}/team`,
		key: 'team',
		keep: (member) => member.is_programmatic === true,
		atLeast: 2,
	},
	{
		name: 'Service Agreement > Get Many',
		parameters: { resource: 'serviceAgreement', operation: 'getAll', owner: 'organization', organization: rl('id', 'acme-iot') },
		path: () => `/v1/orgs/${org().slug}/service_agreements`,
		key: 'data',
		atLeast: 2,
	},
	{
		name: 'Service Agreement > Get Notifications',
		parameters: { resource: 'serviceAgreement', operation: 'getNotifications', owner: 'user', agreementId: '1001' },
		path: () => '/v1/user/service_agreements/1001/notifications',
		key: 'data',
		// The fake keeps one notification per agreement; the Limit cut is shown against a longer list below.
		atLeast: 1,
	},
];

/** The fake dates notifications from the time of the call; everything else must be equal. */
const withoutTimes = (entry: IDataObject): IDataObject =>
	entry.type === 'notification' ? { ...entry, attributes: { ...(entry.attributes as IDataObject), created_at: expect.any(String) } } : entry;

describe.each(cases)('$name', ({ parameters, path, key, keep, atLeast }) => {
	const listed = async () => ((await direct('GET', path()))[key] as IDataObject[]).filter(keep ?? (() => true)).map(withoutTimes);
	const sent = () => apiCalls(cloud()).map(({ method, path: calledPath, query }) => ({ method, path: calledPath, query }));

	it('Return All: every entry of Particle\'s list, from one request without page parameters', async () => {
		const result = await runNode({ parameters: { ...parameters, returnAll: true }, credentials: userToken(cloud()) });
		expect(sent()).toEqual([{ method: 'GET', path: path(), query: {} }]);
		const every = await listed();
		expect(every.length).toBeGreaterThanOrEqual(atLeast);
		expect(result.items).toEqual(every.map((json) => ({ json, pairedItem: { item: 0 } })));
	});

	it('Limit 1: the first entry only, from the same one request', async () => {
		const result = await runNode({ parameters: { ...parameters, returnAll: false, limit: 1 }, credentials: userToken(cloud()) });
		expect(sent()).toEqual([{ method: 'GET', path: path(), query: {} }]);
		const [first] = await listed();
		expect(result.items).toEqual([{ json: first, pairedItem: { item: 0 } }]);
	});

	it('offers Return All (off) and Limit (50), as n8n\'s lists do', () => {
		const shown = (property: INodeProperties) =>
			property.displayOptions?.show?.resource?.includes(parameters.resource as string) &&
			property.displayOptions.show.operation?.includes(parameters.operation as string);
		const fields = new Particle().description.properties.filter(shown);
		expect(fields.find((field) => field.name === 'returnAll')).toMatchObject({ type: 'boolean', default: false });
		expect(fields.find((field) => field.name === 'limit')).toMatchObject({
			type: 'number',
			default: 50,
			displayOptions: { show: { returnAll: [false] } },
		});
	});
});

it('API User > Get Many: Limit counts API users, not the people listed before them', async () => {
	const team = (await direct('GET', `/v1/products/${productId()}/team`)).team as IDataObject[];
	expect(team[0].is_programmatic).toBeUndefined();
	const result = await runNode({
		parameters: { resource: 'apiUser', operation: 'getAll', owner: 'product', product: rl('id', '10001'), limit: 1 },
		credentials: userToken(cloud()),
	});
	expect(result.items.map((item) => item.json)).toEqual([team.find((member) => member.is_programmatic === true)]);
});

describe('Service Agreement > Get Notifications against a longer list', () => {
	let server: Server | undefined;
	const seen: Array<{ path: string; query: Record<string, string> }> = [];
	const notifications = ['70', '90', '100'].map((percent) => ({ id: `n${percent}`, type: 'notification', attributes: { event_name: `developer:usage_activity:${percent}_percent` } }));

	beforeAll(async () => {
		server = createServer((req, res) => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			seen.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
			res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: notifications }));
		});
		await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
	});
	afterAll(async () => await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
	beforeEach(() => seen.splice(0));

	const run = async (extra: IDataObject) =>
		await runNode({
			parameters: { resource: 'serviceAgreement', operation: 'getNotifications', owner: 'user', agreementId: '1001', ...extra },
			credentials: { authMode: 'accessToken', accessToken: 'a'.repeat(40), baseUrl: `http://127.0.0.1:${(server?.address() as AddressInfo).port}` },
		});

	it('Return All: all three; Limit 2: the first two; both from one request without page parameters', async () => {
		expect((await run({ returnAll: true })).items.map((item) => item.json)).toEqual(notifications);
		expect((await run({ limit: 2 })).items.map((item) => item.json)).toEqual(notifications.slice(0, 2));
		expect(seen).toEqual([
			{ path: '/v1/user/service_agreements/1001/notifications', query: {} },
			{ path: '/v1/user/service_agreements/1001/notifications', query: {} },
		]);
	});

	it('without Return All or Limit set: up to 50, the default', async () => {
		expect((await run({})).items).toHaveLength(3);
	});
});
