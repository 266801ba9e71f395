/**
 * The device, product and organization locators of every node, through n8n's engine against the fake cloud: Console
 * links (By URL) reach the right route; bad links and IDs from expressions fail clearly with nothing sent; the
 * triggers read both a workflow saved when their fields were text and the locator's `{ mode, value }`; the device
 * picker follows Devices In / Listen To and the product.
 */
import type { IDataObject, INodeParameters, INodeProperties } from 'n8n-workflow';

import { Particle } from '../../nodes/Particle/Particle.node';
import { ParticleEventTrigger } from '../../nodes/ParticleEventTrigger/ParticleEventTrigger.node';
import { ParticleTrigger } from '../../nodes/ParticleTrigger/ParticleTrigger.node';
import { ParticleWebhookTrigger } from '../../nodes/ParticleWebhookTrigger/ParticleWebhookTrigger.node';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { activateWebhookTrigger, runListSearch, runNode, runPoll, startTrigger, startWebhookHost, type RunningTrigger, type WebhookHost } from '../harness/engine';
import { PACKAGE_PREFIX, registerNodeType } from '../harness/nodeTypes';

registerNodeType(`${PACKAGE_PREFIX}particleWebhookTrigger`, new ParticleWebhookTrigger());

const cloud = useFakeCloud({ devices: 3, products: 2, productDevices: 4, seed: 17 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const CONSOLE = 'https://console.particle.io';
const product = () => cloud().fleet.products[0];
const otherProduct = () => cloud().fleet.products[1];
const sandboxDevice = () => cloud().fleet.sandboxDevices()[0];
const productDevice = () => cloud().fleet.productDevices(product().id)[0];
const organization = () => cloud().fleet.organizations[0];
const paths = () => apiCalls(cloud()).map((call) => `${call.method} ${call.path}`);

const deviceGet = (parameters: INodeParameters) =>
	runNode({ parameters: { resource: 'device', operation: 'get', ...parameters }, credentials: userToken(cloud()) });

describe('By URL: Console links reach the route they name', () => {
	it('a sandbox device link (any page of the device) reads that device', async () => {
		const device = sandboxDevice();
		const result = await deviceGet({ deviceScope: 'sandbox', device: rl('url', `${CONSOLE}/devices/${device.id.toUpperCase()}/events?tab=logs`) });
		expect(result.error).toBeUndefined();
		expect(paths()).toEqual([`GET /v1/devices/${device.id}`]);
		expect(result.items[0].json).toMatchObject({ id: device.id });
	});

	it('one product device link serves as both the Product and the Device', async () => {
		const device = productDevice();
		const link = `${CONSOLE}/${product().slug}/devices/${device.id}`;
		const result = await deviceGet({ deviceScope: 'product', product: rl('url', link), device: rl('url', link) });
		expect(result.error).toBeUndefined();
		expect(paths()).toEqual([`GET /v1/products/${product().slug}/devices/${device.id}`]);
		expect(result.items[0].json).toMatchObject({ id: device.id });
	});

	it('a product page link (by ID or slug) gives the product; an organization page link the organization', async () => {
		const byId = await runNode({ parameters: { resource: 'product', operation: 'get', product: rl('url', `${CONSOLE}/${product().id}/env/edit`) }, credentials: userToken(cloud()) });
		expect(byId.error).toBeUndefined();
		expect(byId.items[0].json).toMatchObject({ id: product().id });
		const bySlug = await runNode({ parameters: { resource: 'product', operation: 'get', product: rl('url', `${CONSOLE}/${product().slug}`) }, credentials: userToken(cloud()) });
		expect(bySlug.error).toBeUndefined();
		const org = await runNode({
			parameters: { resource: 'organization', operation: 'getProducts', organization: rl('url', `${CONSOLE}/orgs/${organization().slug}/team`), returnAll: true },
			credentials: userToken(cloud()),
		});
		expect(org.error).toBeUndefined();
		expect(paths()).toEqual([`GET /v1/products/${product().id}`, `GET /v1/products/${product().slug}`, `GET /v1/orgs/${organization().slug}/products`]);
	});

	it('a product link from an expression, where n8n extracts it (the Webhook Trigger), gives the product too', async () => {
		const host: WebhookHost = await startWebhookHost();
		try {
			const trigger = await activateWebhookTrigger({
				host,
				parameters: { deviceScope: 'product', product: rl('url', `={{ "${CONSOLE}/${product().slug}/integrations" }}`), eventName: 'temp' },
				credentials: userToken(cloud()),
			});
			expect(paths()).toContain(`POST /v1/products/${product().slug}/integrations`);
			await trigger.deactivate();
		} finally {
			await host.close();
		}
	});
});

describe('By URL and By ID from expressions: checked at run time, nothing sent', () => {
	it.each<[string, INodeParameters, RegExp]>([
		['a link to another site', { device: rl('url', '={{ "https://example.com/devices/0123456789abcdef01234567" }}') }, /^Device must be the Console link of a device.*"https:\/\/example.com\/devices\/0123456789abcdef01234567" is not a Particle Console link$/],
		['a Console link that names no device', { device: rl('url', `={{ "${CONSOLE}/integrations" }}`) }, /is a Console link that names no device$/],
		['a device link with a short ID', { device: rl('url', `={{ "${CONSOLE}/devices/abc123" }}`) }, /^The device ID in the Console link must be 24 hexadecimal characters \(got 6 characters\)$/],
		['a list as the link', { device: rl('url', '={{ ["a"] }}') }, /^Device must be a device ID or a Console link of a device \(got a list\)$/],
		['a device ID that is not one', { device: rl('id', '={{ "kitchen" }}') }, /^Device ID must be 24 hexadecimal characters \(got 7 characters\)$/],
	])('Device: refuses %s', async (_case, parameters, message) => {
		const result = await deviceGet({ deviceScope: 'sandbox', ...parameters });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.description).toBe('Nothing was sent to Particle.');
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('never repeats what follows ? or # of a bad link in the error', async () => {
		const result = await deviceGet({ deviceScope: 'sandbox', device: rl('url', '={{ "https://example.com/x?access_token=secret-value#frag" }}') });
		expect(result.error?.message).toContain('"https://example.com/x"');
		expect(result.error?.message).not.toContain('secret-value');
		expect(apiCalls(cloud())).toEqual([]);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['a Console section, not a product', { product: rl('url', `={{ "${CONSOLE}/devices/0123456789abcdef01234567" }}`) }, /^Product must be the Console link of a product page; "https:\/\/console.particle.io\/devices\/0123456789abcdef01234567" is the Console's "devices" page/],
		['the Console start page', { product: rl('url', `={{ "${CONSOLE}/" }}`) }, /is the Console's start page, which names no product$/],
		['a product ID or slug that is neither', { product: rl('id', '={{ "Not A Product" }}') }, /^Product must be a product ID \(a number\) or a product slug/],
	])('Product: refuses %s', async (_case, parameters, message) => {
		const result = await runNode({ parameters: { resource: 'product', operation: 'get', ...parameters }, credentials: userToken(cloud()) });
		expect(result.error?.message).toMatch(message);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it.each<[string, INodeParameters, RegExp]>([
		['a link that is not of an organization', { organization: rl('url', `={{ "${CONSOLE}/my-product-1/devices" }}`) }, /^Organization must be the Console link of an organization page.* is a Console link that names no organization$/],
		['an ID that is not one', { organization: rl('id', '={{ "acme iot!" }}') }, /^Organization must be an organization ID or slug \(got "acme iot!"\)$/],
	])('Organization: refuses %s', async (_case, parameters, message) => {
		const result = await runNode({ parameters: { resource: 'organization', operation: 'getProducts', returnAll: true, ...parameters }, credentials: userToken(cloud()) });
		expect(result.error?.message).toMatch(message);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('a typed link that is not a Console link is refused by n8n itself (the mode\'s regex), before the node runs', async () => {
		const result = await deviceGet({ deviceScope: 'sandbox', device: rl('url', 'https://example.com/devices/0123456789abcdef01234567') });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('Paste the Particle Console link of a device');
		expect(result.items).toEqual([]);
		expect(apiCalls(cloud())).toEqual([]);
	});
});

describe('A product device link where that device cannot be', () => {
	it('with My Devices (Sandbox): says to choose the product, nothing sent', async () => {
		const link = `${CONSOLE}/${product().slug}/devices/${productDevice().id}`;
		const result = await deviceGet({ deviceScope: 'sandbox', device: rl('url', link) });
		expect(result.error?.message).toBe(
			`The Console link is of a device in product "${product().slug}", but this node is set to your sandbox devices. Set Devices In to A Product and choose product "${product().slug}" (its Product field takes the same link).`,
		);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('with another product chosen: names both products, nothing sent', async () => {
		const link = `${CONSOLE}/${product().slug}/devices/${productDevice().id}`;
		const result = await deviceGet({ deviceScope: 'product', product: rl('list', otherProduct().slug), device: rl('url', link) });
		expect(result.error?.message).toBe(
			`The Console link is of a device in product "${product().slug}", not in the chosen product "${otherProduct().slug}". Choose product "${product().slug}", or the link of a device in "${otherProduct().slug}".`,
		);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('with the product chosen by ID and the link by slug: Particle answers for the chosen product', async () => {
		const link = `${CONSOLE}/${product().slug}/devices/${productDevice().id}`;
		const result = await deviceGet({ deviceScope: 'product', product: rl('list', String(product().id)), device: rl('url', link) });
		expect(result.error).toBeUndefined();
		expect(paths()).toEqual([`GET /v1/products/${product().id}/devices/${productDevice().id}`]);
	});
});

describe('Particle Event Trigger: locators, and workflows saved when they were text fields', () => {
	const running: RunningTrigger[] = [];
	afterEach(async () => {
		await Promise.all(running.splice(0).map(async (trigger) => await trigger.close()));
	});
	const start = async (parameters: INodeParameters) => {
		const trigger = await startTrigger({ parameters, credentials: userToken(cloud()) });
		running.push(trigger);
		return trigger;
	};

	it('One Device: the saved plain ID, a picked device and a Console link open the same stream', async () => {
		const device = sandboxDevice();
		await start({ scope: 'device', deviceId: device.id.toUpperCase() });
		await start({ scope: 'device', deviceId: rl('list', device.id) });
		await start({ scope: 'device', deviceId: rl('url', `${CONSOLE}/devices/${device.id}`) });
		expect(paths()).toEqual(Array(3).fill(`GET /v1/devices/${device.id}/events`));
	});

	it('One Product Device: the saved plain text and locators (a product device link in both fields)', async () => {
		const device = productDevice();
		const link = `${CONSOLE}/${product().slug}/devices/${device.id}`;
		await start({ scope: 'productDevice', product: String(product().id), deviceId: device.id });
		await start({ scope: 'productDevice', product: rl('url', link), deviceId: rl('url', link) });
		expect(paths()).toEqual([`GET /v1/products/${product().id}/devices/${device.id}/events`, `GET /v1/products/${product().slug}/devices/${device.id}/events`]);
	});

	it('An Organization: the saved plain slug, a picked one and an organization page link', async () => {
		const slug = organization().slug;
		await start({ scope: 'organization', organization: slug });
		await start({ scope: 'organization', organization: rl('list', slug) });
		await start({ scope: 'organization', organization: rl('url', `${CONSOLE}/orgs/${slug}/team`) });
		expect(paths()).toEqual(Array(3).fill(`GET /v1/orgs/${slug}/events`));
	});

	it.each<[string, INodeParameters, string | RegExp]>([
		[
			'a product device link with One Device',
			{ scope: 'device', deviceId: rl('url', 'LINK') },
			'The Console link is of a device in product "SLUG", but this node is set to your sandbox devices. Set Listen To to One Product Device and choose product "SLUG" (its Product field takes the same link).',
		],
		['a saved device ID that is not one', { scope: 'device', deviceId: 'kitchen' }, 'Device ID must be 24 hexadecimal characters (got 7 characters)'],
		['an organization link from an expression that is not one', { scope: 'organization', organization: rl('url', '={{ "https://console.particle.io/devices" }}') }, /^Organization must be the Console link of an organization page/],
		['a saved organization that is not an ID or slug', { scope: 'organization', organization: 'acme iot' }, 'Organization must be an organization ID or slug (got "acme iot")'],
	])('refuses %s at activation, opening nothing', async (_case, parameters, message) => {
		const link = `${CONSOLE}/${product().slug}/devices/${productDevice().id}`;
		const withLink = JSON.parse(JSON.stringify(parameters).replace('LINK', link)) as INodeParameters;
		const expected = typeof message === 'string' ? message.replace(/SLUG/g, product().slug) : message;
		await expect(startTrigger({ parameters: withLink, credentials: userToken(cloud()) })).rejects.toThrow(expected);
		expect(apiCalls(cloud())).toEqual([]);
	});
});

describe('Particle Trigger: the device filter', () => {
	const poll = async (parameters: INodeParameters) =>
		await runPoll({ parameters: { events: ['deviceWentOffline'], ...parameters }, credentials: userToken(cloud()), staticData: {} });
	const listQueries = () => apiCalls(cloud()).map((call) => call.query as IDataObject);

	it('the saved plain ID, a picked device and a Console link each narrow the product list to that device', async () => {
		const device = productDevice();
		const base = { deviceScope: 'product', product: rl('list', product().slug) };
		await poll({ ...base, filters: { deviceId: device.id.toUpperCase() } });
		await poll({ ...base, filters: { deviceId: rl('list', device.id) } });
		await poll({ ...base, filters: { deviceId: rl('url', `${CONSOLE}/${product().slug}/devices/${device.id}`) } });
		expect(listQueries().map((query) => query.deviceId)).toEqual([device.id, device.id, device.id]);
		expect(apiCalls(cloud()).every((call) => call.path === `/v1/products/${product().slug}/devices`)).toBe(true);
	});

	it('an empty locator (the filter added, nothing chosen) watches every device', async () => {
		await poll({ deviceScope: 'product', product: rl('list', product().slug), filters: { deviceId: rl('list', '') } });
		expect(listQueries()[0]).not.toHaveProperty('deviceId');
	});

	it('a product device link on the sandbox is refused before any request', async () => {
		const link = `${CONSOLE}/${product().slug}/devices/${productDevice().id}`;
		await expect(poll({ deviceScope: 'sandbox', filters: { deviceId: rl('url', link) } })).rejects.toThrow(
			`The Console link is of a device in product "${product().slug}", but this node is set to your sandbox devices. Set Devices In to A Product`,
		);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('a product page link as the Product', async () => {
		await poll({ deviceScope: 'product', product: rl('url', `${CONSOLE}/${product().slug}/devices`) });
		expect(apiCalls(cloud())[0].path).toBe(`/v1/products/${product().slug}/devices`);
	});
});

describe('The device picker follows the scope and the product', () => {
	const search = async (type: string, parameters: INodeParameters) => await runListSearch({ type, method: 'searchDevices', parameters, credentials: userToken(cloud()) });
	const productIds = () => cloud().fleet.productDevices(product().id).map((device) => device.id).sort();
	const sandboxIds = () => cloud().fleet.sandboxDevices().map((device) => device.id).sort();
	const values = (result: { results: Array<{ value: unknown }> }) => result.results.map((item) => String(item.value)).sort();

	it('action node: Devices In = A Product with the Product given by a Console link lists that product\'s devices', async () => {
		const result = await search('particle', { resource: 'device', operation: 'get', deviceScope: 'product', product: rl('url', `${CONSOLE}/${product().slug}/devices`) });
		expect(paths()).toEqual([`GET /v1/products/${product().slug}/devices`]);
		expect(values(result)).toEqual(productIds());
	});

	it('Event Trigger: One Product Device lists the product\'s devices, One Device the sandbox', async () => {
		const inProduct = await search('particleEventTrigger', { scope: 'productDevice', product: rl('list', String(product().id)) });
		expect(values(inProduct)).toEqual(productIds());
		const inSandbox = await search('particleEventTrigger', { scope: 'device' });
		expect(values(inSandbox)).toEqual(sandboxIds());
		expect(paths()).toEqual([`GET /v1/products/${product().id}/devices`, 'GET /v1/devices']);
	});

	it('Particle Trigger: the filter\'s list follows Devices In and the product', async () => {
		const inProduct = await search('particleTrigger', { deviceScope: 'product', product: rl('list', String(otherProduct().id)) });
		expect(values(inProduct)).toEqual(cloud().fleet.productDevices(otherProduct().id).map((device) => device.id).sort());
		const inSandbox = await search('particleTrigger', { deviceScope: 'sandbox' });
		expect(values(inSandbox)).toEqual(sandboxIds());
	});

	it('no product yet (or an expression) lists nothing and asks nothing; a product link that names none says so', async () => {
		expect((await search('particle', { deviceScope: 'product', product: rl('list', '') })).results).toEqual([]);
		expect((await search('particle', { deviceScope: 'product', product: rl('id', '={{ $json.product }}') })).results).toEqual([]);
		expect(apiCalls(cloud())).toEqual([]);
		await expect(search('particle', { deviceScope: 'product', product: rl('url', `${CONSOLE}/billing`) })).rejects.toThrow(/is the Console's "billing" page, which names no product/);
		expect(apiCalls(cloud())).toEqual([]);
	});

	const deviceLocators = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((property) => [
			...(property.type === 'resourceLocator' && property.modes?.some((mode) => mode.typeOptions?.searchListMethod === 'searchDevices') ? [property] : []),
			...deviceLocators((property.options ?? []).filter((option): option is INodeProperties => 'type' in option)),
		]);

	it.each([
		['Particle', new Particle().description.properties, 'searchDevices'],
		['Particle Trigger', new ParticleTrigger().description.properties, 'searchDevices'],
		['Particle Event Trigger', new ParticleEventTrigger().description.properties, 'searchDevices'],
	])('%s: every device locator lists again when the fields it depends on change, and those fields exist', (_node, properties) => {
		const locators = deviceLocators(properties);
		expect(locators.length).toBeGreaterThan(0);
		const topLevel = new Set(properties.map((property) => property.name));
		for (const locator of locators) {
			const dependsOn = locator.typeOptions?.loadOptionsDependsOn ?? [];
			expect(dependsOn).toEqual(expect.arrayContaining(['product.value']));
			// Where the operation has a scope choice (Devices In, Listen To), the list follows it too; product-only
			// operations (ledger, location) have none and follow the product alone.
			const show = locator.displayOptions?.show ?? {};
			const hasScopeChoice = properties.some(
				(property) =>
					['deviceScope', 'scope'].includes(property.name) &&
					['resource', 'operation'].every((key) => {
						const wanted = show[key] as string[] | undefined;
						const offered = property.displayOptions?.show?.[key] as string[] | undefined;
						return wanted === undefined || offered === undefined || wanted.some((value) => offered.includes(value));
					}),
			);
			if (hasScopeChoice) expect(dependsOn.some((path) => path === 'deviceScope' || path === 'scope')).toBe(true);
			for (const path of dependsOn) expect(topLevel).toContain(path.split('.')[0]);
			expect(locator.modes?.map((mode) => mode.name)).toEqual(expect.arrayContaining(['list', 'url', 'id']));
		}
	});

	it.each([
		['Particle', new Particle()],
		['Particle Trigger', new ParticleTrigger()],
		['Particle Event Trigger', new ParticleEventTrigger()],
	])('%s registers every list method its locators name', (_node, node) => {
		const named = new Set<string>();
		const collect = (properties: INodeProperties[]) => {
			for (const property of properties) {
				for (const mode of property.modes ?? []) if (mode.typeOptions?.searchListMethod) named.add(mode.typeOptions.searchListMethod);
				collect((property.options ?? []).filter((option): option is INodeProperties => 'type' in option));
			}
		};
		collect(node.description.properties);
		expect(named.size).toBeGreaterThan(0);
		for (const method of named) expect(Object.keys(node.methods?.listSearch ?? {})).toContain(method);
	});
});
