/**
 * The device operations that change something (and Ping), sandbox and product, through n8n's engine against the fake
 * cloud: the request that reached the cloud, the items that came out, and what changed in the simulated fleet.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { RecordedRequest } from '../../fake-cloud';
import { apiCalls, apiUserToken, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { CREDENTIAL_ID, runNode } from '../harness/engine';
import { TestCredentialsHelper } from '../harness/credentials';
import { Particle } from '../../nodes/Particle/Particle.node';

const cloud = useFakeCloud({ devices: 6, productDevices: 6 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const productId = () => cloud().productClient.productId;
const product = () => rl('id', String(productId()));
const productPath = () => `/v1/products/${productId()}`;
const bearer = () => `Bearer ${cloud().tokens.user}`;
const fleetDevice = (id: string) => cloud().fleet.requireDevice(id);
const inProduct = (id: string) => cloud().fleet.productDevices(productId()).some((device) => device.id === id);

/**
 * Device IDs as seeded, taken once: removing and importing devices reorders the fleet's lists during the run.
 * Sandbox and product devices 1 and 5 start offline; product devices 0 and 1 belong to the product's customers.
 */
let sandboxIds: string[] = [];
let productIds: string[] = [];
beforeAll(() => {
	sandboxIds = cloud().fleet.sandboxDevices().map((device) => device.id);
	productIds = cloud().fleet.productDevices(productId()).map((device) => device.id);
});

/** The one request the node sent, as the cloud received it (raw path, no query string, the user's token). */
function onlyCall(): RecordedRequest {
	const calls = apiCalls(cloud());
	expect(calls).toHaveLength(1);
	return calls[0];
}

function expectRequest(
	call: RecordedRequest,
	expected: { method: string; path: string; body?: unknown; authorization?: string },
): void {
	expect({
		method: call.method,
		path: call.path,
		query: call.query,
		body: call.body,
		authorization: call.authorization,
	}).toEqual({
		method: expected.method,
		path: expected.path,
		query: {},
		body: expected.body,
		authorization: expected.authorization ?? bearer(),
	});
}

/** Names of the fields the editor shows for an operation (with "Devices In" on its default, the sandbox). */
function fieldsOf(operation: string, deviceScope = 'sandbox'): string[] {
	const shown = (property: INodeProperties): boolean => {
		const show = property.displayOptions?.show ?? {};
		const values: Record<string, unknown> = { resource: 'device', operation, deviceScope };
		return Object.entries(show).every(([key, allowed]) => !(key in values) || (allowed as unknown[]).includes(values[key]));
	};
	return new Particle().description.properties
		.filter((property) => property.name !== 'resource' && property.name !== 'operation' && property.name !== 'itemProcessing')
		.filter((property) => property.displayOptions?.show?.resource?.includes('device'))
		.filter(shown)
		.map((property) => property.name);
}

describe('Device > Rename', () => {
	it('renames a sandbox device: PUT { name }, the echo comes out, the name persists', async () => {
		const id = sandboxIds[0];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'rename', device: rl('id', id), newName: 'kitchen-sensor' },
			credentials: userToken(cloud()),
		});

		expectRequest(onlyCall(), { method: 'PUT', path: `/v1/devices/${id}`, body: { name: 'kitchen-sensor' } });
		expect(result.items).toEqual([
			{ json: { id, name: 'kitchen-sensor', updated_at: expect.any(String) }, pairedItem: { item: 0 } },
		]);
		expect(fleetDevice(id).name).toBe('kitchen-sensor');
	});

	it('renames a product device found by its current name: lookup in the product, then PUT on the product route', async () => {
		const id = productIds[2];
		const oldName = fleetDevice(id).name;
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'rename',
				deviceScope: 'product',
				product: product(),
				device: rl('name', oldName),
				newName: `${oldName}-renamed`,
			},
			credentials: userToken(cloud()),
		});

		const [lookup, rename] = apiCalls(cloud());
		expect(apiCalls(cloud())).toHaveLength(2);
		expect(lookup).toMatchObject({
			method: 'GET',
			path: `${productPath()}/devices`,
			query: { deviceName: oldName, page: '1', perPage: '100' },
			authorization: bearer(),
		});
		// Exactly Particle's page-size key, and not particle-api-js's per_page beside it.
		expect(Object.keys(lookup.query).sort()).toEqual(['deviceName', 'page', 'perPage']);
		expectRequest(rename, { method: 'PUT', path: `${productPath()}/devices/${id}`, body: { name: `${oldName}-renamed` } });
		expect(result.items).toEqual([
			{ json: { id, name: `${oldName}-renamed`, updated_at: expect.any(String) }, pairedItem: { item: 0 } },
		]);
		expect(fleetDevice(id).name).toBe(`${oldName}-renamed`);
	});

	it('renames several items, each name from its own item, each output paired with its input', async () => {
		const ids = [sandboxIds[2], sandboxIds[3]];
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'rename',
				device: rl('id', '={{ $json.id }}'),
				newName: '={{ $json.name }}',
			},
			items: [
				{ id: ids[0], name: 'shelf-a' },
				{ id: ids[1], name: 'shelf-b' },
			],
			credentials: userToken(cloud()),
		});

		expect(apiCalls(cloud()).map((call) => [call.path, call.body])).toEqual([
			[`/v1/devices/${ids[0]}`, { name: 'shelf-a' }],
			[`/v1/devices/${ids[1]}`, { name: 'shelf-b' }],
		]);
		expect(result.items.map((item) => [item.json.name, item.pairedItem])).toEqual([
			['shelf-a', { item: 0 }],
			['shelf-b', { item: 1 }],
		]);
		expect(ids.map((id) => fleetDevice(id).name)).toEqual(['shelf-a', 'shelf-b']);
	});

	it('sends a 64-character name and refuses a 65-character one before sending', async () => {
		const id = sandboxIds[4];
		const longest = 'n'.repeat(64);
		await runNode({
			parameters: { resource: 'device', operation: 'rename', device: rl('id', id), newName: longest },
			credentials: userToken(cloud()),
		});
		expect(onlyCall().body).toEqual({ name: longest });
		expect(fleetDevice(id).name).toBe(longest);

		cloud().clearRequests();
		const result = await runNode({
			parameters: { resource: 'device', operation: 'rename', device: rl('id', id), newName: 'n'.repeat(65) },
			credentials: userToken(cloud()),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('New Name is 65 characters long; Particle allows at most 64');
		expect(result.error?.description).toBe('Nothing was sent to Particle.');
		expect(cloud().requests).toHaveLength(0);
		expect(fleetDevice(id).name).toBe(longest);
	});

	it('uses the minted product token on the product route with a product OAuth client', async () => {
		const id = productIds[3];
		const credentialsHelper = new TestCredentialsHelper();
		await runNode({
			parameters: {
				resource: 'device',
				operation: 'rename',
				deviceScope: 'product',
				product: product(),
				device: rl('id', id),
				newName: 'client-renamed',
			},
			credentials: productClient(cloud()),
			credentialsHelper,
		});

		const minted = String(credentialsHelper.store.get(CREDENTIAL_ID)?.sessionToken);
		expect(minted).toMatch(/^[0-9a-f]{40}$/);
		expectRequest(onlyCall(), {
			method: 'PUT',
			path: `${productPath()}/devices/${id}`,
			body: { name: 'client-renamed' },
			authorization: `Bearer ${minted}`,
		});
		expect(fleetDevice(id).name).toBe('client-renamed');
	});
});

describe('Device > Update Notes', () => {
	it.each([
		['sandbox', () => sandboxIds[2], () => '/v1/devices'],
		['product', () => productIds[2], () => `${productPath()}/devices`],
	])('stores the notes of a %s device: PUT { notes }', async (scope, idOf, base) => {
		const id = idOf();
		const notes = `battery swapped\nline two (${scope})`;
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'updateNotes',
				deviceScope: scope,
				...(scope === 'product' ? { product: product() } : {}),
				device: rl('id', id),
				notes,
			},
			credentials: userToken(cloud()),
		});

		expectRequest(onlyCall(), { method: 'PUT', path: `${base()}/${id}`, body: { notes } });
		expect(result.items).toEqual([{ json: { id, notes, updated_at: expect.any(String) }, pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).notes).toBe(notes);
	});

	it('clears the notes with an empty text', async () => {
		const id = sandboxIds[2];
		await runNode({
			parameters: { resource: 'device', operation: 'updateNotes', device: rl('id', id), notes: '' },
			credentials: userToken(cloud()),
		});
		expect(onlyCall().body).toEqual({ notes: '' });
		expect(fleetDevice(id).notes).toBe('');
	});
});

describe('Device > Signal', () => {
	it('starts and stops the rainbow LED of a sandbox device: PUT { signal: "1" } then "0"', async () => {
		const id = sandboxIds[0];
		const started = await runNode({
			parameters: { resource: 'device', operation: 'signal', device: rl('id', id), signal: 'start' },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'PUT', path: `/v1/devices/${id}`, body: { signal: '1' } });
		expect(started.items).toEqual([{ json: { id, connected: true, signaling: true }, pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).signaling).toBe(true);

		cloud().clearRequests();
		const stopped = await runNode({
			parameters: { resource: 'device', operation: 'signal', device: rl('id', id), signal: 'stop' },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'PUT', path: `/v1/devices/${id}`, body: { signal: '0' } });
		expect(stopped.items).toEqual([{ json: { id, connected: true, signaling: false }, pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).signaling).toBe(false);
	});

	it('signals a product device through the product route', async () => {
		const id = productIds[0];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'signal', deviceScope: 'product', product: product(), device: rl('id', id), signal: 'start' },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'PUT', path: `${productPath()}/devices/${id}`, body: { signal: '1' } });
		expect(result.items).toEqual([{ json: { id, connected: true, signaling: true }, pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).signaling).toBe(true);
	});
});

describe('Device > Ping', () => {
	it('pings sandbox devices; an unknown one becomes a 404 error item and the other items go on', async () => {
		const [online, offline] = [sandboxIds[0], sandboxIds[1]];
		const unknown = 'ffffffffffffffffffffffff';
		const result = await runNode({
			parameters: { resource: 'device', operation: 'ping', device: rl('id', '={{ $json.id }}') },
			credentials: userToken(cloud()),
			items: [{ id: online }, { id: unknown }, { id: offline }],
			continueOnFail: true,
		});

		const calls = apiCalls(cloud());
		expect(calls).toHaveLength(3);
		expectRequest(calls[0], { method: 'PUT', path: `/v1/devices/${online}/ping` });
		expectRequest(calls[1], { method: 'PUT', path: `/v1/devices/${unknown}/ping` });
		expectRequest(calls[2], { method: 'PUT', path: `/v1/devices/${offline}/ping` });
		expect(calls.map((call) => call.status)).toEqual([200, 404, 200]);
		expect(result.items).toEqual([
			{ json: { id: online, online: true, ok: true }, pairedItem: { item: 0 } },
			{
				json: {
					error: `Particle could not find the device ${unknown}: Device not found.`,
					description: expect.stringMatching(/^Check the device ID/),
					httpCode: '404',
				},
				pairedItem: { item: 1 },
			},
			{ json: { id: offline, online: false, ok: true }, pairedItem: { item: 2 } },
		]);
	});

	it('pings a product device through the product route', async () => {
		const id = productIds[0];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'ping', deviceScope: 'product', product: product(), device: rl('id', id) },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'PUT', path: `${productPath()}/devices/${id}/ping` });
		expect(result.items).toEqual([{ json: { id, online: true, ok: true }, pairedItem: { item: 0 } }]);
	});

	it('stops the run at an unknown device without Continue On Fail', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'ping', device: rl('id', '={{ $json.id }}') },
			credentials: userToken(cloud()),
			items: [{ id: 'ffffffffffffffffffffffff' }, { id: sandboxIds[0] }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Particle could not find the device ffffffffffffffffffffffff: Device not found.');
		expect(result.error?.httpCode).toBe('404');
		expect(apiCalls(cloud())).toHaveLength(1);
	});

	it('keeps a hostile device name inside its path segment', async () => {
		const hostile = '../x?y#z';
		const result = await runNode({
			parameters: { resource: 'device', operation: 'ping', device: rl('name', hostile) },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});

		const call = onlyCall();
		expectRequest(call, { method: 'PUT', path: '/v1/devices/..%2Fx%3Fy%23z/ping' });
		expect(call.decodedPath).toBe(`/v1/devices/${hostile}/ping`);
		expect(result.items).toEqual([
			{
				json: { error: `Particle could not find the device ${hostile}: Device not found.`, description: expect.any(String), httpCode: '404' },
				pairedItem: { item: 0 },
			},
		]);
	});

	it('keeps a hostile name in the query of the product lookup, never in the path', async () => {
		const hostile = '../../devices?x=1#';
		const result = await runNode({
			parameters: { resource: 'device', operation: 'ping', deviceScope: 'product', product: product(), device: rl('name', hostile) },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		const call = onlyCall();
		expect(call).toMatchObject({ method: 'GET', path: `${productPath()}/devices`, query: { deviceName: hostile, page: '1', perPage: '100' } });
		expect(Object.keys(call.query).sort()).toEqual(['deviceName', 'page', 'perPage']);
		expect(result.items[0].json.error).toBe(`No device named "${hostile}" in this product`);
	});
});

describe('Device > Claim and Unclaim', () => {
	it('unclaims a sandbox device: DELETE /v1/devices/:id, the owner is gone', async () => {
		const id = sandboxIds[5];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'unclaim', device: rl('id', id) },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'DELETE', path: `/v1/devices/${id}` });
		expect(result.items).toEqual([{ json: { id, ok: true, unclaimed: true }, pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).owner).toBeNull();
	});

	it('claims it back: POST /v1/devices { id } (an upper-case ID is sent lower-case), the user owns it again', async () => {
		const id = sandboxIds[5];
		expect(fleetDevice(id).owner).toBeNull();
		const result = await runNode({
			parameters: { resource: 'device', operation: 'claim', deviceId: ` ${id.toUpperCase()} ` },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'POST', path: '/v1/devices', body: { id } });
		expect(result.items).toEqual([{ json: expect.objectContaining({ id, ok: true, claimed: true }), pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).owner).toBe(cloud().fleet.user.username);
	});

	it("asks for a transfer of someone else's device with Request Transfer; the owner does not change", async () => {
		const id = productIds[1];
		const owner = fleetDevice(id).owner;
		expect(owner).toMatch(/^customer/);

		const refused = await runNode({
			parameters: { resource: 'device', operation: 'claim', deviceId: id },
			credentials: userToken(cloud()),
			continueOnFail: true,
		});
		expect(refused.items[0].json.error).toMatch(/^The Particle token is not allowed to do this/);

		cloud().clearRequests();
		const result = await runNode({
			parameters: { resource: 'device', operation: 'claim', deviceId: id, requestTransfer: true },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'POST', path: '/v1/devices', body: { id, request_transfer: true } });
		expect(result.items[0].json).toMatchObject({ id, ok: true, claimed: false, transfer_id: expect.any(String) });
		expect(fleetDevice(id).owner).toBe(owner);
	});

	it('refuses a malformed device ID before sending, also from an expression', async () => {
		const typed = await runNode({
			parameters: { resource: 'device', operation: 'claim', deviceId: 'abc' },
			credentials: userToken(cloud()),
		});
		expect(typed.error?.message).toBe('Device ID must be 24 hexadecimal characters (got 3 characters)');

		const mapped = await runNode({
			parameters: { resource: 'device', operation: 'claim', deviceId: '={{ $json.id }}' },
			items: [{ id: `${sandboxIds[0]}0` }],
			credentials: userToken(cloud()),
		});
		expect(mapped.error?.message).toBe('Device ID must be 24 hexadecimal characters (got 25 characters)');
		expect(cloud().requests).toHaveLength(0);
	});

	it('unclaims a product device: DELETE .../devices/:id/owner, it stays in the product without an owner', async () => {
		const id = productIds[0];
		expect(fleetDevice(id).owner).not.toBeNull();
		const result = await runNode({
			parameters: { resource: 'device', operation: 'unclaim', deviceScope: 'product', product: product(), device: rl('id', id) },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'DELETE', path: `${productPath()}/devices/${id}/owner` });
		expect(result.items).toEqual([{ json: { id, ok: true, unclaimed: true }, pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).owner).toBeNull();
		expect(inProduct(id)).toBe(true);
	});

	it('shows only the Device ID and Request Transfer for Claim: the route exists for the sandbox only', () => {
		expect(fieldsOf('claim')).toEqual(['deviceId', 'requestTransfer']);
		expect(fieldsOf('claim', 'product')).toEqual(['deviceId', 'requestTransfer']);
	});
});

describe('Device > Mark as Development Device', () => {
	it('marks a product device and unmarks it: PUT { development } on the product route', async () => {
		const id = productIds[3];
		const marked = await runNode({
			parameters: { resource: 'device', operation: 'setDevelopment', product: product(), device: rl('id', id), development: true },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'PUT', path: `${productPath()}/devices/${id}`, body: { development: true } });
		expect(marked.items).toEqual([{ json: { id, development: true, updated_at: expect.any(String) }, pairedItem: { item: 0 } }]);
		expect(fleetDevice(id).development).toBe(true);

		cloud().clearRequests();
		const unmarked = await runNode({
			parameters: { resource: 'device', operation: 'setDevelopment', product: product(), device: rl('id', id), development: false },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'PUT', path: `${productPath()}/devices/${id}`, body: { development: false } });
		expect(unmarked.items[0].json).toMatchObject({ id, development: false });
		expect(fleetDevice(id).development).toBe(false);
	});

	it('has no "Devices In" choice: product devices only', () => {
		expect(fieldsOf('setDevelopment')).toEqual(['product', 'device', 'development']);
	});

	it('refuses a malformed device ID from an expression before sending', async () => {
		const result = await runNode({
			parameters: { resource: 'device', operation: 'setDevelopment', product: product(), device: rl('id', '={{ $json.id }}'), development: true },
			items: [{ id: 'not-a-device' }],
			credentials: userToken(cloud()),
		});
		expect(result.error?.message).toBe('Device ID must be 24 hexadecimal characters (got 12 characters)');
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('Device > Remove from Product and Add to Product', () => {
	it('removes a customer-owned device: DELETE, 204, it leaves the product and loses its owner', async () => {
		const id = productIds[1];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'removeFromProduct', product: product(), device: rl('id', id) },
			credentials: userToken(cloud()),
		});
		const call = onlyCall();
		expectRequest(call, { method: 'DELETE', path: `${productPath()}/devices/${id}` });
		expect(call.status).toBe(204);
		expect(result.items).toEqual([{ json: { id, removed: true }, pairedItem: { item: 0 } }]);
		expect(inProduct(id)).toBe(false);
		expect(fleetDevice(id).owner).toBeNull();
	});

	it('adds it back: POST .../devices { id }, Particle\'s import summary comes out, it is a member again', async () => {
		const id = productIds[1];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: product(), deviceId: id },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'POST', path: `${productPath()}/devices`, body: { id } });
		expect(result.items).toEqual([
			{
				json: {
					updated: 1,
					updatedDeviceIds: [id],
					existingDeviceIds: [],
					nonmemberDeviceIds: [],
					invalidDeviceIds: [],
					protectedDeviceIds: [],
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(inProduct(id)).toBe(true);
	});

	it('reports a device that is already a member as existing', async () => {
		const id = productIds[2];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: product(), deviceId: id },
			credentials: userToken(cloud()),
		});
		expect(result.items[0].json).toEqual({
			updated: 0,
			updatedDeviceIds: [],
			existingDeviceIds: [id],
			nonmemberDeviceIds: [],
			invalidDeviceIds: [],
			protectedDeviceIds: [],
		});
	});

	it('imports a new device claimed to a team member with Claim to User', async () => {
		const id = 'abcdef0123456789abcdef01';
		const claimUser = 'field-tech@example.com';
		const result = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: product(), deviceId: id, claimUser },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'POST', path: `${productPath()}/devices`, body: { id, claim_user: claimUser } });
		expect(result.items[0].json).toMatchObject({ updated: 1, updatedDeviceIds: [id] });
		expect(inProduct(id)).toBe(true);
		expect(fleetDevice(id).owner).toBe(claimUser);
	});

	it('refuses a malformed device ID or Claim to User before sending', async () => {
		const badId = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: product(), deviceId: 'xyz' },
			credentials: userToken(cloud()),
		});
		expect(badId.error?.message).toBe('Device ID must be 24 hexadecimal characters (got 3 characters)');

		const badEmail = await runNode({
			parameters: { resource: 'device', operation: 'addToProduct', product: product(), deviceId: productIds[2], claimUser: 'not an email' },
			credentials: userToken(cloud()),
		});
		expect(badEmail.error?.message).toBe('Claim to User must be an email address');
		expect(cloud().requests).toHaveLength(0);
	});

	it('sends Deny in the body of the DELETE', async () => {
		const id = productIds[5];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'removeFromProduct', product: product(), device: rl('id', id), deny: true },
			credentials: userToken(cloud()),
		});
		expectRequest(onlyCall(), { method: 'DELETE', path: `${productPath()}/devices/${id}`, body: { deny: true } });
		expect(result.items).toEqual([{ json: { id, removed: true }, pairedItem: { item: 0 } }]);
		expect(inProduct(id)).toBe(false);
	});

	it('shows product and device fields only: both operations exist for products only', () => {
		expect(fieldsOf('removeFromProduct')).toEqual(['product', 'device', 'deny']);
		expect(fieldsOf('addToProduct')).toEqual(['product', 'deviceId', 'claimUser']);
	});

	it('a token without the scope gets an error item, and nothing changes', async () => {
		const id = productIds[4];
		const result = await runNode({
			parameters: { resource: 'device', operation: 'removeFromProduct', product: product(), device: rl('id', id) },
			credentials: apiUserToken(cloud()),
			continueOnFail: true,
		});
		expectRequest(onlyCall(), {
			method: 'DELETE',
			path: `${productPath()}/devices/${id}`,
			authorization: `Bearer ${cloud().tokens.apiUser}`,
		});
		// API users: "If an API user attempts to perform an action that it is not permitted to, a standard 400
		// unauthorized error is returned."
		expect(onlyCall().status).toBe(400);
		expect(result.items).toEqual([
			{
				json: {
					error: 'The Particle token is not allowed to do this: This endpoint requires the devices:remove scope: unauthorized',
					description: expect.stringMatching(/add the missing scope/),
					httpCode: '400',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(inProduct(id)).toBe(true);
	});
});

describe('Device > Create Claim Code', () => {
	it('creates a claim code for the sandbox account: POST /v1/device_claims', async () => {
		const before = cloud().fleet.claimCodes.length;
		const result = await runNode({
			parameters: { resource: 'device', operation: 'createClaimCode' },
			credentials: userToken(cloud()),
		});
		const call = onlyCall();
		expectRequest(call, { method: 'POST', path: '/v1/device_claims' });
		expect(call.rawBody).toBe('');
		const owned = [...cloud().fleet.devices.values()].filter((device) => device.owner === cloud().fleet.user.username);
		expect(result.items).toEqual([
			{ json: { claim_code: expect.any(String), device_ids: owned.map((device) => device.id) }, pairedItem: { item: 0 } },
		]);
		expect(cloud().fleet.claimCodes).toHaveLength(before + 1);
		expect(cloud().fleet.claimCodes.at(-1)).toMatchObject({
			claim_code: result.items[0].json.claim_code,
			owner: cloud().fleet.user.username,
			productId: null,
		});
	});

	it('creates a claim code through a product with ICCID and IMEI, asking with a token minted for the customer', async () => {
		const [customer] = cloud().fleet.products[0].customers;
		const result = await runNode({
			parameters: {
				resource: 'device',
				operation: 'createClaimCode',
				deviceScope: 'product',
				product: product(),
				customer: customer.username,
				claimOptions: { iccid: ' 89014103211118510720 ', imei: '352753090000000' },
			},
			credentials: productClient(cloud()),
		});
		const minted = tokenExchanges(cloud()).filter((call) => (call.body as Record<string, string>).scope === `customer=${customer.username}`);
		expect(minted).toHaveLength(1);
		const call = onlyCall();
		const customerToken = /^Bearer ([0-9a-f]{40})$/.exec(String(call.authorization))?.[1];
		expect(customerToken).toBeDefined();
		expect(customerToken).not.toBe(cloud().tokens.user);
		// Not the product token the credential keeps either: that one stays in the stored credential.
		const productToken = result.credentialsHelper.store.get(CREDENTIAL_ID)?.sessionToken;
		expect(productToken).toMatch(/^[0-9a-f]{40}$/);
		expect(productToken).not.toBe(customerToken);
		expectRequest(call, {
			method: 'POST',
			path: `${productPath()}/device_claims`,
			body: { iccid: '89014103211118510720', imei: '352753090000000' },
			authorization: `Bearer ${customerToken}`,
		});
		expect(result.items).toEqual([
			{ json: { customer: customer.username, claim_code: expect.any(String), device_ids: expect.any(Array) }, pairedItem: { item: 0 } },
		]);
		expect(JSON.stringify(result.items)).not.toContain(String(customerToken));
		expect(cloud().fleet.claimCodes.at(-1)).toMatchObject({
			claim_code: result.items[0].json.claim_code,
			owner: customer.username,
			productId: productId(),
			iccid: '89014103211118510720',
			imei: '352753090000000',
		});
	});
});
