/** Direct HTTP tests of the fake's event streams: wire format, filtering, access. */
import { request } from 'node:http';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 3, productDevices: 3 });
});
afterAll(() => cloud.close());

describe('event streams', () => {
	it('sends :ok first, then event/data pairs for matching names only', async () => {
		const chunks: string[] = [];
		const req = request(`${cloud.url}/v1/devices/events/tick`, { headers: { authorization: `Bearer ${cloud.tokens.user}` } });
		const opened = new Promise<void>((resolve) => {
			req.on('response', (res) => {
				expect(res.statusCode).toBe(200);
				expect(res.headers['content-type']).toBe('text/event-stream');
				res.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
				resolve();
			});
		});
		req.end();
		await opened;
		const publish = (name: string) =>
			cloud.fleet.publish({ name, data: 'x', ttl: 60, private: true, published_at: new Date().toISOString(), coreid: 'api', userid: cloud.fleet.user.id });
		publish('tock');
		publish('ticker');
		// Until the second event is in: events go out in order, so a wrongly sent 'tock' would be there before it.
		while (!chunks.join('').includes('event: ticker')) await new Promise((resolve) => setTimeout(resolve, 5));
		expect(cloud.openStreams()).toBe(1);
		req.destroy();
		expect(chunks.join('')).toMatch(/^:ok\n\nevent: ticker\ndata: \{"data":"x","ttl":60,"published_at":"[^"]+","coreid":"api","userid":"[0-9a-f]+","public":false\}\n\n$/);
	});

	it('refuses a customer on a product stream and an unknown product', async () => {
		expect((await call(cloud, 'GET', `/v1/products/${cloud.productClient.productId}/events`, { token: cloud.tokens.customer })).status).toBe(403);
		expect((await call(cloud, 'GET', '/v1/products/999999/events', { token: cloud.tokens.user })).status).toBe(404);
	});

	it('lets an organization API user with events:get follow its organization, not another', async () => {
		const status = (path: string, token: string) =>
			new Promise<number>((resolve, reject) => {
				const req = request(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
					resolve(res.statusCode ?? 0);
					req.destroy();
				});
				req.on('error', reject);
				req.end();
			});
		const watcher = cloud.issueToken({ kind: 'apiUser', org: 'acme-iot', scopes: ['events:get'] });
		expect(await status('/v1/orgs/acme-iot/events', watcher)).toBe(200);
		expect(await status('/v1/orgs/acme-iot/events', cloud.issueToken({ kind: 'apiUser', org: 'acme-iot', scopes: ['devices:list'] }))).toBe(400);
		expect(await status('/v1/orgs/acme-iot/events', cloud.tokens.apiUser)).toBe(400);
		expect(await status('/v1/orgs/no-such-org/events', cloud.tokens.user)).toBe(404);
	});

	it('follows one device of the organization on /v1/orgs/:org/devices/:id/events, only that device', async () => {
		// products[0] belongs to the organization; the sandbox does not.
		const [device, other] = cloud.fleet.productDevices(cloud.fleet.products[0].id);
		const chunks: string[] = [];
		const req = request(`${cloud.url}/v1/orgs/acme-iot/devices/${device.id}/events/temp`, { headers: { authorization: `Bearer ${cloud.tokens.user}` } });
		await new Promise<void>((resolve) => {
			req.on('response', (res) => {
				expect(res.statusCode).toBe(200);
				res.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
				resolve();
			});
			req.end();
		});
		const publish = (coreid: string, name: string) =>
			cloud.fleet.publish({ name, data: coreid, ttl: 60, private: true, published_at: new Date().toISOString(), coreid, productID: cloud.fleet.products[0].id });
		publish(other.id, 'temp');
		publish(device.id, 'humidity');
		publish(device.id, 'temp');
		while (!chunks.join('').includes('event: temp')) await new Promise((resolve) => setTimeout(resolve, 5));
		req.destroy();
		expect(chunks.join('').match(/^event: .*$/gm)).toEqual(['event: temp']);
		expect(chunks.join('')).toContain(`"data":"${device.id}"`);
		const sandboxDevice = cloud.fleet.sandboxDevices()[0].id;
		expect((await call(cloud, 'GET', `/v1/orgs/acme-iot/devices/${sandboxDevice}/events`, { token: cloud.tokens.user })).status).toBe(404);
	});
});
