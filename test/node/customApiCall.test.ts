/** Custom API Call: the first releases' resource (any /v1 path through the same door and credential), kept for the
 * workflows that use it, and n8n's own Custom API Call, the one offered now. */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';
import { NodeHelpers, type INodeProperties, type INodePropertyOptions } from 'n8n-workflow';
import { Particle } from '../../nodes/Particle/Particle.node';

const cloud = useFakeCloud({ devices: 3 });

describe('Custom API Call', () => {
	it('sends a GET with query parameters and returns the answer', async () => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/access_tokens/current', query: '{"verbose":"1"}' },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({
			method: 'GET',
			path: '/v1/access_tokens/current',
			query: { verbose: '1' },
			authorization: `Bearer ${cloud().tokens.user}`,
		});
		expect(result.items[0]).toEqual({ json: expect.objectContaining({ scopes: expect.any(Array) }), pairedItem: { item: 0 } });
	});

	it('turns a list answer into one item per element', async () => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/devices' },
			credentials: userToken(cloud()),
		});
		expect(result.items).toHaveLength(3);
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('sends a JSON body with PUT', async () => {
		const device = cloud().fleet.sandboxDevices()[0];
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'PUT', path: `/v1/devices/${device.id}`, body: { notes: 'from n8n' } },
			credentials: userToken(cloud()),
		});
		expect(apiCalls(cloud())[0]).toMatchObject({ method: 'PUT', body: { notes: 'from n8n' } });
		expect(result.items[0].json).toMatchObject({ id: device.id, notes: 'from n8n' });
		expect(device.notes).toBe('from n8n');
	});

	it.each([
		['/v1/devices/../products', /is not a Particle API path/],
		['/v1/devices?x=1', /is not a Particle API path/],
		['/v2/devices', /is not a Particle API path/],
		['https://evil.example/v1/devices', /is not a Particle API path/],
		['/v1/', /is not a Particle API path/],
		// The URL parser reads each of these as "..": they used to pass the guard and send the token outside /v1/.
		['/v1/.%2e/oauth/token', /is not a Particle API path/],
		['/v1/%2e./x', /is not a Particle API path/],
		['/v1/devices/.%2E/.%2E/admin', /is not a Particle API path/],
		['/v1/%2E%2E', /is not a Particle API path/],
		['/v1/devices%2f..%2fadmin', /is not a Particle API path/],
		['/v1/devices%5c..%5cadmin', /is not a Particle API path/],
		['/v1/%zz', /is not a Particle API path/],
	])('refuses the path %p before sending', async (path, message) => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toMatch(message);
		expect(cloud().requests).toHaveLength(0);
	});

	it('refuses a token in the query', async () => {
		const result = await runNode({
			parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/devices', query: { access_token: 'x' } },
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('Do not put access_token in the query or body');
		expect(cloud().requests).toHaveLength(0);
	});

	it('keeps every request under the Base URL\'s own /v1/ when the Base URL has a path', async () => {
		// A private cloud behind a path prefix: nothing may climb out of it, whatever the path says.
		const { startHostileServer } = await import('../harness/hostile');
		const front = await startHostileServer(cloud().url);
		try {
			const credentials = { ...userToken(cloud()), baseUrl: `${front.url}/particle` };
			const result = await runNode({
				parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/%2e%2e/%2e%2e/admin' },
				credentials,
			});
			expect(result.error?.message).toMatch(/is not a Particle API path/);
			const fine = await runNode({ parameters: { resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/devices' }, credentials });
			expect(fine.status).toBe('error');
			expect(front.seen.map((request) => request.url)).toEqual(['/particle/v1/devices']);
		} finally {
			await front.close();
		}
	});
});

describe('one Custom API Call: n8n\'s, made with the HTTP Request node', () => {
	const { description } = new Particle();
	const optionLists = description.properties.filter(
		(property) => (property.name === 'resource' || property.name === 'operation') && property.type === 'options',
	);
	const optionsOf = (property: INodeProperties) => property.options as INodePropertyOptions[];

	/** n8n's loader (load-nodes-and-credentials.ts, injectCustomApiCallOptions): adds its option unless a list ends with one. */
	function asN8nLoadsIt(properties: INodeProperties[]): INodeProperties[] {
		return properties.map((property) => {
			if (!['resource', 'operation'].includes(property.name) || !Array.isArray(property.options)) return property;
			const options = optionsOf(property);
			return options[options.length - 1].name === 'Custom API Call'
				? property
				: { ...property, options: [...options, { name: 'Custom API Call', value: '__CUSTOM_API_CALL__' }] };
		});
	}

	it('ends every Resource and Operation list with n8n\'s option, once, so n8n adds no second one', () => {
		expect(optionLists.length).toBeGreaterThan(10);
		for (const property of asN8nLoadsIt(optionLists)) {
			const options = optionsOf(property);
			const named = options.filter((option) => option.name.startsWith('Custom API Call'));
			const shown = named.filter((option) => option.displayOptions === undefined);
			expect({ list: property.displayOptions?.show?.resource ?? property.name, shown: shown.map((option) => option.value) }).toEqual({
				list: property.displayOptions?.show?.resource ?? property.name,
				shown: ['__CUSTOM_API_CALL__'],
			});
			expect(options[options.length - 1]).toMatchObject({ value: '__CUSTOM_API_CALL__', action: expect.any(String) });
		}
	});

	it('offers the first releases\' resource only to a node that has it selected', () => {
		const resource = optionsOf(description.properties.find((property) => property.name === 'resource')!);
		expect(resource.find((option) => option.value === 'customApiCall')).toMatchObject({ displayOptions: { show: { resource: ['customApiCall'] } } });
	});

	it('names the node by the action when it is picked, not "__CUSTOM_API_CALL__ device"', () => {
		const name = NodeHelpers.makeNodeName({ resource: 'device', operation: '__CUSTOM_API_CALL__' }, { ...description, properties: asN8nLoadsIt(description.properties) });
		expect(name).toBe('Make a custom API call');
	});

	it.each([
		[{ resource: 'device', operation: '__CUSTOM_API_CALL__' }],
		[{ resource: '__CUSTOM_API_CALL__' }],
	])('says to use the HTTP Request node, and sends nothing, when a run has %p', async (parameters) => {
		const result = await runNode({ parameters, credentials: userToken(cloud()) });
		expect(result.error?.message).toBe('Custom API Call is made with n8n\'s HTTP Request node, not this node');
		expect(result.error?.description).toMatch(/Predefined Credential Type.*Particle API/);
		expect(cloud().requests).toHaveLength(0);
	});
});
