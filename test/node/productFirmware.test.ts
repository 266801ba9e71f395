/**
 * Product Firmware through n8n's engine against the fake cloud: the request that reached the cloud (method, raw path,
 * query, body, bearer token; the upload as multipart with the file's exact bytes), the items that came out with their
 * pairing, input refused before anything is sent, and releases, uploads and deletes never sent twice after a 500 or a
 * dropped connection.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 2, products: 1, productDevices: 9, seed: 11 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const productId = () => cloud().productClient.productId;
const productSlug = () => cloud().productClient.productSlug;
const devices = () => cloud().fleet.productDevices(productId());
const stored = (version: number) => cloud().fleet.productFirmware.get(productId())?.find((firmware) => firmware.version === version);
/** A version the seeded fleet runs, so Particle lets it be released. */
const runningVersion = () => Math.max(...devices().map((device) => device.firmware_version ?? 0));
const paired = (jsons: unknown[], item = 0) => jsons.map((json) => ({ json, pairedItem: { item } }));

/** Bytes that would not survive being handled as text anywhere on the way. */
const BINARY = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37 + 11) % 256));

function binaryItem(bytes: Buffer, fileName: string | undefined, json: IDataObject = {}): INodeExecutionData {
	return {
		json,
		binary: { data: { data: bytes.toString('base64'), mimeType: 'application/octet-stream', ...(fileName === undefined ? {} : { fileName }) } },
	};
}

async function direct(path: string): Promise<unknown> {
	const response = await fetch(`${cloud().url}${path}`, { headers: { Authorization: `Bearer ${cloud().tokens.user}` } });
	return (await response.json()) as unknown;
}

describe('Get Many and Get', () => {
	it('Get Many: one item per version, as Particle lists them; Limit cuts the list', async () => {
		const all = await runNode({ parameters: { resource: 'productFirmware', operation: 'getAll', product: rl('id', String(productId())), returnAll: true }, credentials: user() });
		const calls = apiCalls(cloud());
		expect(calls.map(({ method, path, query, authorization }) => ({ method, path, query, authorization }))).toEqual([
			{ method: 'GET', path: `/v1/products/${productId()}/firmware`, query: {}, authorization: `Bearer ${cloud().tokens.user}` },
		]);
		const expected = (await direct(`/v1/products/${productId()}/firmware`)) as IDataObject[];
		expect(all.items).toEqual(paired(expected));
		expect(expected.length).toBeGreaterThan(1);
		const limited = await runNode({ parameters: { resource: 'productFirmware', operation: 'getAll', product: rl('id', productSlug()), limit: 1 }, credentials: user() });
		expect(limited.items).toEqual(paired(expected.slice(0, 1)));
	});

	it('Get: one version by product slug, the version from each item', async () => {
		const version = runningVersion();
		const result = await runNode({
			parameters: { resource: 'productFirmware', operation: 'get', product: rl('id', productSlug()), version: '={{ $json.version }}' },
			credentials: user(),
			items: [{ version }, { version: String(version) }],
		});
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([
			`GET /v1/products/${productSlug()}/firmware/${version}`,
			`GET /v1/products/${productSlug()}/firmware/${version}`,
		]);
		const expected = await direct(`/v1/products/${productId()}/firmware/${version}`);
		expect(result.items).toEqual([...paired([expected], 0), ...paired([expected], 1)]);
	});

	it.each([
		['0', 'Version must be a whole number of 1 or more (got "0")'],
		['2.5', 'Version must be a whole number of 1 or more (got "2.5")'],
		['abc', 'Version must be a whole number of 1 or more (got "abc")'],
		['70000', 'Version must be 65535 or less (got 70000): PRODUCT_VERSION is a 16-bit number'],
	])('refuses version %s before sending', async (version, message) => {
		const result = await runNode({
			parameters: { resource: 'productFirmware', operation: 'get', product: rl('id', String(productId())), version: '={{ $json.version }}' },
			credentials: user(),
			items: [{ version }],
		});
		expect(result.error?.message).toBe(message);
		expect(cloud().requests).toHaveLength(0);
	});
});

describe('Upload', () => {
	const upload = (extra: IDataObject = {}) => ({ resource: 'productFirmware', operation: 'upload', product: rl('id', String(productId())), binaryPropertyName: 'data', ...extra });

	it('sends version, title, description and the file as multipart; the exact bytes arrive; the item is the new version', async () => {
		const result = await runNode({
			parameters: upload({ version: '={{ $json.version }}', title: 'Battery fix', description: 'Sleeps longer' }),
			credentials: user(),
			inputItems: [binaryItem(BINARY, 'app-12.bin', { version: 12 })],
		});
		const [call] = apiCalls(cloud());
		expect(apiCalls(cloud())).toHaveLength(1);
		expect({ method: call.method, path: call.path, authorization: call.authorization }).toEqual({
			method: 'POST',
			path: `/v1/products/${productId()}/firmware`,
			authorization: `Bearer ${cloud().tokens.user}`,
		});
		expect(call.contentType).toMatch(/^multipart\/form-data; boundary=\S+$/);
		expect(call.body).toMatchObject({ version: '12', title: 'Battery fix', description: 'Sleeps longer' });
		expect(call.rawBody).toMatch(/Content-Disposition: form-data; name="file"; filename="app-12.bin"\r\nContent-Type: application\/octet-stream/);
		expect(stored(12)?.bytes?.equals(BINARY)).toBe(true);
		expect(result.items).toEqual(paired([expect.objectContaining({ version: 12, title: 'Battery fix', description: 'Sleeps longer', name: 'app-12.bin', size: BINARY.length })]));
		expect(result.items[0].json).toEqual(await direct(`/v1/products/${productId()}/firmware/12`));
	});

	it('sends a .zip as a bundle (application/zip), and leaves out an empty description', async () => {
		await runNode({ parameters: upload({ version: 13, title: 'With assets' }), credentials: user(), inputItems: [binaryItem(BINARY, 'bundle.zip')] });
		const [call] = apiCalls(cloud());
		expect(call.rawBody).toMatch(/filename="bundle.zip"\r\nContent-Type: application\/zip/);
		expect(Object.keys(call.body as object).sort()).toEqual(['file', 'title', 'version']);
		expect(stored(13)?.size).toBe(BINARY.length);
	});

	it.each([
		['an empty title', { version: 14, title: '  ' }, binaryItem(BINARY, 'a.bin'), 'Title is empty: Particle requires a title for each firmware version'],
		['version 0', { version: 0, title: 't' }, binaryItem(BINARY, 'a.bin'), 'Version must be a whole number of 1 or more (got 0)'],
		['a .hex file', { version: 14, title: 't' }, binaryItem(BINARY, 'app.hex'), 'The file "app.hex" is neither a .bin firmware binary nor a .zip bundle'],
		['an empty file', { version: 14, title: 't' }, binaryItem(Buffer.alloc(0), 'a.bin'), 'The file "a.bin" is empty'],
		['no binary data', { version: 14, title: 't' }, { json: {} }, 'This operation expects the node\'s input data to contain a binary file \'data\', but none was found [item 0]'],
	])('refuses %s before sending', async (_case, extra, item, message) => {
		const result = await runNode({ parameters: upload(extra), credentials: user(), inputItems: [item as INodeExecutionData] });
		expect(result.error?.message).toBe(message);
		expect(cloud().requests).toHaveLength(0);
		expect(stored(14)).toBeUndefined();
	});

	it('is not sent again after a 500: the version may have been stored', async () => {
		cloud().injectFault({ method: 'POST', path: `/v1/products/${productId()}/firmware`, status: 500 });
		const result = await runNode({ parameters: upload({ version: 15, title: 't' }), credentials: user(), inputItems: [binaryItem(BINARY, 'a.bin')] });
		expect(result.error?.httpCode).toBe('500');
		expect(apiCalls(cloud()).filter((call) => call.method === 'POST')).toHaveLength(1);
	});
});

describe('Release', () => {
	const release = (extra: IDataObject) => ({ resource: 'productFirmware', operation: 'release', product: rl('id', String(productId())), ...extra });
	const groups = (...names: string[]) => ({ group: names.map((name) => ({ name: rl('name', name) })) });

	it('to groups: version, groups and intelligent; their devices target it, the product default stays as it was', async () => {
		const version = runningVersion();
		const result = await runNode({ parameters: release({ version, releaseTo: 'groups', groups: groups('beta', 'indoor') }), credentials: user() });
		const calls = apiCalls(cloud());
		expect(calls.map(({ method, path, body, authorization }) => ({ method, path, body, authorization }))).toEqual([
			{ method: 'PUT', path: `/v1/products/${productId()}/firmware/release`, body: { version, groups: ['beta', 'indoor'], intelligent: false }, authorization: `Bearer ${cloud().tokens.user}` },
		]);
		expect(calls[0].contentType).toMatch(/^application\/json/);
		expect(result.items).toEqual(paired([expect.objectContaining({ version, groups: ['beta', 'indoor'], product_default: false, intelligent: false })]));
		for (const device of devices()) {
			const inGroups = device.groups.includes('beta') || device.groups.includes('indoor');
			expect([device.id, device.targeted_firmware_release_version]).toEqual([device.id, inGroups ? version : null]);
		}
	});

	it('to the whole product, intelligent: product_default true; online devices in no released group update now', async () => {
		const version = Math.min(...devices().map((device) => device.firmware_version ?? Infinity));
		const outdoorOnly = devices().find((device) => device.groups.length === 1 && device.groups[0] === 'outdoor');
		if (!outdoorOnly) throw new Error('the seeded fleet has a device only in "outdoor"');
		cloud().setOnline(outdoorOnly.id, true);
		outdoorOnly.firmware_version = version + 1;
		const result = await runNode({ parameters: release({ version, releaseTo: 'product', intelligent: true }), credentials: user() });
		expect(apiCalls(cloud()).map((call) => call.body)).toEqual([{ version, product_default: true, intelligent: true }]);
		expect(result.items[0].json).toMatchObject({ version, product_default: true, intelligent: true });
		expect(outdoorOnly.targeted_firmware_release_version).toBe(version);
		expect(outdoorOnly.firmware_version).toBe(version);
	});

	it.each([
		['no groups', { releaseTo: 'groups', groups: {} }, 'Groups is empty: add the groups to release the version to'],
		// From expressions: n8n's own checks stop literal values in the editor and before the run.
		['a group name Particle would not take', { releaseTo: 'groups', groups: groups('={{ "Beta Testers" }}') }, 'Group 1 must be 1 to 64 lowercase letters, numbers, dashes or underscores (got "Beta Testers")'],
		['an empty group', { releaseTo: 'groups', groups: groups('beta', '={{ "" }}') }, 'Group 2 is empty'],
		['Release To from an expression that is neither', { releaseTo: '={{ "everywhere" }}' }, 'Release To must be "groups" or "product" (got "everywhere")'],
		['Intelligent Release that is not a boolean', { releaseTo: 'product', intelligent: '={{ "maybe" }}' }, 'Intelligent Release must be true or false (got "maybe")'],
	])('refuses %s before sending', async (_case, extra, message) => {
		const result = await runNode({ parameters: release({ version: runningVersion(), ...extra }), credentials: user() });
		expect(result.error?.message).toBe(message);
		expect(cloud().requests).toHaveLength(0);
	});

	it.each([
		['a 500', { status: 500 }, '500'],
		['a dropped connection', { dropConnection: true }, undefined],
	])('is not sent again after %s: Particle may already be updating devices', async (_case, fault, httpCode) => {
		cloud().injectFault({ method: 'PUT', path: `/v1/products/${productId()}/firmware/release`, ...fault });
		const result = await runNode({ parameters: release({ version: runningVersion(), releaseTo: 'groups', groups: groups('beta') }), credentials: user() });
		expect(result.status).toBe('error');
		expect(result.error?.httpCode ?? undefined).toBe(httpCode);
		expect(apiCalls(cloud())).toHaveLength(1);
	});
});

describe('Delete', () => {
	it('deletes a version never released; the item says which', async () => {
		await runNode({ parameters: { resource: 'productFirmware', operation: 'upload', product: rl('id', String(productId())), binaryPropertyName: 'data', version: 30, title: 'Scratch' }, credentials: user(), inputItems: [binaryItem(BINARY, 'a.bin')] });
		cloud().clearRequests();
		const result = await runNode({ parameters: { resource: 'productFirmware', operation: 'delete', product: rl('id', String(productId())), version: 30 }, credentials: user() });
		expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path} ${call.status}`)).toEqual([`DELETE /v1/products/${productId()}/firmware/30 204`]);
		expect(result.items).toEqual(paired([{ product: String(productId()), version: 30, deleted: true }]));
		expect(stored(30)).toBeUndefined();
	});

	it('is not sent again after a 500', async () => {
		cloud().injectFault({ method: 'DELETE', path: `/v1/products/${productId()}/firmware/31`, status: 500 });
		const result = await runNode({ parameters: { resource: 'productFirmware', operation: 'delete', product: rl('id', String(productId())), version: 31 }, credentials: user() });
		expect(result.error?.httpCode).toBe('500');
		expect(apiCalls(cloud())).toHaveLength(1);
	});
});
