/**
 * Device OS > Get Many and Get through n8n's engine against the fake cloud: the path and query (platform, paging as
 * particle-api-js sends it), the items, and a version that is not one refused before sending.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEVICE_OS_VERSIONS } from '../../fake-cloud/routes/deviceOs';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 2, products: 1, productDevices: 1 });
const user = () => userToken(cloud());

function expectCalls(...expected: Array<{ path: string; query?: Record<string, string> }>): void {
	expect(apiCalls(cloud()).map(({ method, path, query, body, authorization }) => ({ method, path, query, body, authorization }))).toEqual(
		expected.map((call) => ({ method: 'GET', query: {}, body: undefined, ...call, authorization: `Bearer ${cloud().tokens.user}` })),
	);
}

async function direct(path: string): Promise<IDataObject> {
	const response = await fetch(`${cloud().url}${path}`, { headers: { Authorization: `Bearer ${cloud().tokens.user}` } });
	return (await response.json()) as IDataObject;
}

it('Get Many: every version, newest first, paged with per_page', async () => {
	const result = await runNode({ parameters: { resource: 'deviceOs', operation: 'getAll', returnAll: true }, credentials: user() });
	expectCalls({ path: '/v1/device-os/versions', query: { page: '1', per_page: '100' } });
	const { versions } = await direct('/v1/device-os/versions?per_page=100');
	expect(result.items).toEqual((versions as IDataObject[]).map((json) => ({ json, pairedItem: { item: 0 } })));
	expect(result.items).toHaveLength(DEVICE_OS_VERSIONS.length);
});

it('Get Many for one platform, up to Limit', async () => {
	const result = await runNode({ parameters: { resource: 'deviceOs', operation: 'getAll', platform: '6', limit: 1 }, credentials: user() });
	expectCalls({ path: '/v1/device-os/versions', query: { platform_id: '6', page: '1', per_page: '1' } });
	expect(result.items.map((item) => item.json.version)).toEqual(['2.3.1']);
});

it('Get: one version, with its modules when a platform is chosen; an unknown version is a 404', async () => {
	const plain = await runNode({ parameters: { resource: 'deviceOs', operation: 'get', version: '5.9.0' }, credentials: user() });
	const boron = await runNode({ parameters: { resource: 'deviceOs', operation: 'get', version: ' 5.9.0 ', platform: '13' }, credentials: user() });
	expectCalls({ path: '/v1/device-os/versions/5.9.0' }, { path: '/v1/device-os/versions/5.9.0', query: { platform_id: '13' } });
	expect(plain.items).toEqual([{ json: await direct('/v1/device-os/versions/5.9.0'), pairedItem: { item: 0 } }]);
	expect(boron.items[0].json).toMatchObject({ version: '5.9.0', platform_id: 13, modules: [{ filename: 'boron-bootloader@5.9.0.bin' }, { filename: 'boron-system-part1@5.9.0.bin' }] });
	const unknown = await runNode({ parameters: { resource: 'deviceOs', operation: 'get', version: '9.9.9' }, credentials: user() });
	expect(unknown.error?.httpCode).toBe('404');
});

it('refuses a version that is not one, and a platform not in the list, before sending', async () => {
	const result = await runNode({
		parameters: { resource: 'deviceOs', operation: 'get', version: '={{ $json.version }}', platform: '={{ $json.platform }}' },
		credentials: user(),
		items: [{ version: 'latest', platform: 'all' }, { version: '../x', platform: 'all' }, { version: '6.2.1', platform: '999' }],
		continueOnFail: true,
	});
	expect(result.items.map((item) => item.json.error)).toEqual([
		'Version must be a Device OS version such as 6.2.1 (got "latest")',
		'Version must be a Device OS version such as 6.2.1 (got "../x")',
		'Platform must be "all" or a platform ID of the list, such as 13 for Boron (got "999")',
	]);
	expect(apiCalls(cloud())).toHaveLength(0);
});
