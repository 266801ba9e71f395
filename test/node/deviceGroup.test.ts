/**
 * Device Group through n8n's engine against the fake cloud: each request as it reached the cloud, the items with their
 * pairing, membership that shows in the device list, the group picker, input refused before sending, and a delete
 * or a batch assignment never sent twice after a 500.
 */
import type { IDataObject } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runListSearch, runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 2, products: 1, productDevices: 9, seed: 13 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const productId = () => cloud().productClient.productId;
const product = () => rl('id', String(productId()));
const devices = () => cloud().fleet.productDevices(productId());
const paired = (jsons: unknown[], item = 0) => jsons.map((json) => ({ json, pairedItem: { item } }));
const groupsPath = (rest = '') => `/v1/products/${productId()}/groups${rest}`;
const calls = () => apiCalls(cloud()).map(({ method, path, query, body }) => ({ method, path, query, body }));

async function direct(path: string): Promise<IDataObject> {
	const response = await fetch(`${cloud().url}${path}`, { headers: { Authorization: `Bearer ${cloud().tokens.user}` } });
	return (await response.json()) as IDataObject;
}

async function listedIn(group: string): Promise<string[]> {
	const list = await direct(`/v1/products/${productId()}/devices?groups=${group}&perPage=100`);
	return (list.devices as Array<{ id: string }>).map((device) => device.id).sort();
}

describe('groups', () => {
	it('Get Many: one item per group; Name Contains filters on Particle\'s side', async () => {
		const all = await runNode({ parameters: { resource: 'deviceGroup', operation: 'getAll', product: product(), returnAll: true }, credentials: user() });
		expect(all.items).toEqual(paired((await direct(groupsPath())).groups as IDataObject[]));
		expect(all.items.map((item) => item.json.name)).toEqual(['indoor', 'outdoor', 'beta']);
		cloud().clearRequests();
		const some = await runNode({ parameters: { resource: 'deviceGroup', operation: 'getAll', product: product(), returnAll: true, filters: { name: 'door' } }, credentials: user() });
		expect(calls()).toEqual([{ method: 'GET', path: groupsPath(), query: { name: 'door' }, body: undefined }]);
		expect(some.items.map((item) => item.json.name)).toEqual(['indoor', 'outdoor']);
	});

	it('Create, Get, Update, Delete: the bodies Particle documents, the group object out', async () => {
		const created = await runNode({
			parameters: { resource: 'deviceGroup', operation: 'create', product: product(), name: 'test', additionalFields: { description: 'Release candidates', color: '#e74c3c' } },
			credentials: user(),
		});
		expect(created.items).toEqual(paired([{ name: 'test', description: 'Release candidates', color: '#e74c3c' }]));
		const got = await runNode({ parameters: { resource: 'deviceGroup', operation: 'get', product: product(), group: rl('list', 'test') }, credentials: user() });
		expect(got.items).toEqual(paired([{ name: 'test', description: 'Release candidates', color: '#e74c3c', device_count: 0 }]));
		const updated = await runNode({
			parameters: { resource: 'deviceGroup', operation: 'update', product: product(), group: rl('name', 'test'), updateFields: { name: 'trial', color: '#00aa00' } },
			credentials: user(),
		});
		expect(updated.items[0].json).toEqual({ name: 'trial', description: 'Release candidates', color: '#00aa00', device_count: 0 });
		const deleted = await runNode({ parameters: { resource: 'deviceGroup', operation: 'delete', product: product(), group: rl('name', 'trial') }, credentials: user() });
		expect(deleted.items).toEqual(paired([{ name: 'trial', deleted: true }]));
		expect(calls()).toEqual([
			{ method: 'POST', path: groupsPath(), query: {}, body: { name: 'test', description: 'Release candidates', color: '#e74c3c' } },
			{ method: 'GET', path: groupsPath('/test'), query: {}, body: undefined },
			{ method: 'PUT', path: groupsPath('/test'), query: {}, body: { name: 'trial', color: '#00aa00' } },
			{ method: 'DELETE', path: groupsPath('/trial'), query: {}, body: undefined },
		]);
		expect(cloud().fleet.products[0].groups).not.toContain('trial');
	});

	it.each([
		['a name with capitals', 'create', { name: '={{ "Beta" }}' }, 'Name must be 1 to 64 lowercase letters, numbers, dashes or underscores (got "Beta")'],
		['an empty name', 'create', { name: '={{ "  " }}' }, 'Name is empty'],
		['a name of 65 characters', 'create', { name: `={{ "${'a'.repeat(65)}" }}` }, `Name must be 1 to 64 lowercase letters, numbers, dashes or underscores (got "${'a'.repeat(40)}")`],
		['a color that is not hex', 'create', { name: 'ok', additionalFields: { color: '={{ "red" }}' } }, 'Color must be a hex color such as #e74c3c (got "red")'],
		['an update that changes nothing', 'update', { group: rl('name', 'beta'), updateFields: {} }, 'Nothing to update: add a new name, a color or a description'],
		['a new name Particle would not take', 'update', { group: rl('name', 'beta'), updateFields: { name: '={{ "two words" }}' } }, 'New Name must be 1 to 64 lowercase letters, numbers, dashes or underscores (got "two words")'],
		['a group from an expression that is not a name', 'get', { group: rl('name', '={{ "../devices" }}') }, 'Group must be 1 to 64 lowercase letters, numbers, dashes or underscores (got "../devices")'],
	])('refuses %s before sending', async (_case, operation, extra, message) => {
		const result = await runNode({ parameters: { resource: 'deviceGroup', operation, product: product(), ...extra }, credentials: user() });
		expect(result.error?.message).toBe(message);
		expect(cloud().requests).toHaveLength(0);
	});

	it('Delete is not sent again after a 500', async () => {
		cloud().injectFault({ method: 'DELETE', path: groupsPath('/beta'), status: 500 });
		const result = await runNode({ parameters: { resource: 'deviceGroup', operation: 'delete', product: product(), group: rl('name', 'beta') }, credentials: user() });
		expect(result.error?.httpCode).toBe('500');
		expect(apiCalls(cloud())).toHaveLength(1);
		expect(cloud().fleet.products[0].groups).toContain('beta');
	});

	it('the group picker lists the chosen product\'s groups, filtered by name', async () => {
		const listed = await runListSearch({ parameters: { resource: 'deviceGroup', operation: 'get', product: product() }, credentials: user(), method: 'searchGroups' });
		expect(listed.results.map((result) => result.value)).toEqual(['beta', 'indoor', 'outdoor']);
		const filtered = await runListSearch({ parameters: { resource: 'deviceGroup', operation: 'get', product: product() }, credentials: user(), method: 'searchGroups', filter: 'out' });
		expect(filtered.results).toEqual([{ name: 'outdoor', value: 'outdoor' }]);
		expect(apiCalls(cloud()).map((call) => call.query)).toEqual([{}, { name: 'out' }]);
		const none = await runListSearch({ parameters: { resource: 'deviceGroup', operation: 'get', product: rl('list', '') }, credentials: user(), method: 'searchGroups' });
		expect(none.results).toEqual([]);
	});
});

describe('membership', () => {
	it('Assign Devices (one batch): one request with action, devices, metadata.add; the device list shows them', async () => {
		const ids = devices().slice(0, 3).map((device) => device.id);
		const result = await runNode({
			parameters: { resource: 'deviceGroup', operation: 'assignDevices', product: product(), group: rl('list', 'beta'), deviceIds: `${ids[0]}, ${ids[1].toUpperCase()}\n${ids[2]} ${ids[0]}` },
			credentials: user(),
		});
		expect(calls()).toEqual([{ method: 'PUT', path: `/v1/products/${productId()}/devices`, query: {}, body: { action: 'groups', devices: ids, metadata: { add: ['beta'] } } }]);
		expect(result.items).toEqual(paired([{ ok: true, group: 'beta', added: ids }]));
		expect(await listedIn('beta')).toEqual(expect.arrayContaining(ids));
	});

	it('Remove Devices (one update per device): each device read, then its groups written without the group', async () => {
		const [device] = devices();
		const others = device.groups.filter((group) => group !== 'beta');
		const result = await runNode({
			parameters: { resource: 'deviceGroup', operation: 'removeDevices', product: product(), group: rl('name', 'beta'), deviceIds: '={{ $json.ids }}', sendAs: 'eachDevice' },
			credentials: user(),
			items: [{ ids: [device.id] }],
		});
		expect(calls()).toEqual([
			{ method: 'GET', path: `/v1/products/${productId()}/devices/${device.id}`, query: {}, body: undefined },
			{ method: 'PUT', path: `/v1/products/${productId()}/devices/${device.id}`, query: {}, body: { groups: others } },
		]);
		expect(result.items).toEqual(paired([{ id: device.id, groups: others, updated_at: expect.any(String) }]));
		expect(await listedIn('beta')).not.toContain(device.id);
	});

	it('Assign Devices (one update per device) keeps the groups each device had', async () => {
		const [first, second] = devices().slice(4, 6);
		const before = { first: [...first.groups], second: [...second.groups] };
		const result = await runNode({
			parameters: { resource: 'deviceGroup', operation: 'assignDevices', product: product(), group: rl('name', 'asia'), deviceIds: `${first.id},${second.id}`, sendAs: 'eachDevice' },
			credentials: user(),
		});
		expect(result.items.map((item) => item.json.groups)).toEqual([[...before.first, 'asia'], [...before.second, 'asia']]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(await listedIn('asia')).toEqual([first.id, second.id].sort());
	});

	it.each([
		['no device IDs', { deviceIds: ' , ' }, 'Device IDs is empty'],
		['something that is not a device ID', { deviceIds: '0123456789abcdef01234567, my-device' }, '"my-device" is not a device ID (24 hexadecimal characters)'],
		['a list holding an object', { deviceIds: '={{ [{ id: 1 }] }}' }, 'Device IDs must be text or a list of device IDs (got a list)'],
		['more than 1000 devices', { deviceIds: `={{ Array.from({ length: 1001 }, (_, i) => i.toString(16).padStart(24, "0")) }}` }, 'Device IDs lists 1001 devices; one item takes at most 1000'],
		['Send As from an expression that is neither', { deviceIds: '0123456789abcdef01234567', sendAs: '={{ "both" }}' }, 'Send As must be "batch" or "eachDevice" (got "both")'],
	])('refuses %s before sending', async (_case, extra, message) => {
		const result = await runNode({ parameters: { resource: 'deviceGroup', operation: 'assignDevices', product: product(), group: rl('name', 'beta'), ...extra }, credentials: user() });
		expect(result.error?.message).toBe(message);
		expect(cloud().requests).toHaveLength(0);
	});

	it('a batch is not sent again after a 500', async () => {
		cloud().injectFault({ method: 'PUT', path: `/v1/products/${productId()}/devices`, status: 500 });
		const result = await runNode({
			parameters: { resource: 'deviceGroup', operation: 'assignDevices', product: product(), group: rl('name', 'indoor'), deviceIds: devices()[8].id },
			credentials: user(),
		});
		expect(result.error?.httpCode).toBe('500');
		expect(apiCalls(cloud())).toHaveLength(1);
	});
});

describe('Get Release Impact', () => {
	it('sends the planned release as the query; the item is the firmware_update counts', async () => {
		const version = Math.max(...devices().map((device) => device.firmware_version ?? 0));
		const result = await runNode({
			parameters: {
				resource: 'deviceGroup',
				operation: 'getReleaseImpact',
				product: product(),
				version,
				groups: { group: [{ name: rl('list', 'beta') }, { name: rl('name', 'asia') }] },
				productDefault: 'keep',
			},
			credentials: user(),
		});
		expect(calls()).toEqual([
			{ method: 'GET', path: `/v1/products/${productId()}/impact`, query: { action: 'edit_groups_for_firmware', firmware_version: String(version), groups: 'beta,asia' }, body: undefined },
		]);
		const expected = (await direct(`/v1/products/${productId()}/impact?action=edit_groups_for_firmware&firmware_version=${version}&groups=beta,asia`)) as { devices: { firmware_update: IDataObject } };
		expect(result.items).toEqual(paired([{ version, groups: ['beta', 'asia'], ...expected.devices.firmware_update }]));
		expect(expected.devices.firmware_update.total).toBeGreaterThan(0);
	});

	it('as the product default, with no groups: product_default is sent, groups left out', async () => {
		await runNode({ parameters: { resource: 'deviceGroup', operation: 'getReleaseImpact', product: product(), version: 1, productDefault: 'release' }, credentials: user() });
		expect(calls()[0].query).toEqual({ action: 'edit_groups_for_firmware', firmware_version: '1', product_default: 'true' });
	});
});
