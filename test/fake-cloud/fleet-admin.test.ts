/** Direct HTTP tests of the fake's vitals, streams and customer routes: shapes, errors, knobs. */
import { request } from 'node:http';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 3, productDevices: 3 });
});
afterAll(() => cloud.close());

const online = () => cloud.fleet.sandboxDevices().find((device) => device.online)!;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const HOUR = 3_600_000;

describe('vitals', () => {
	it('generates hourly history lazily, oldest first, and more when the interval shrinks', async () => {
		const device = online();
		const hourly = await call(cloud, 'GET', `/v1/diagnostics/${device.id}?start_date=${iso(6 * HOUR)}&end_date=${iso(0)}`, { token: cloud.tokens.user });
		const records = (hourly.body as { diagnostics: Array<{ updated_at: string; payload: object }> }).diagnostics;
		expect(records.length).toBeGreaterThanOrEqual(5);
		expect(records.map((record) => record.updated_at)).toEqual([...records.map((record) => record.updated_at)].sort());

		cloud.setVitalsInterval(device.id, 1);
		const month = await call(cloud, 'GET', `/v1/diagnostics/${device.id}?start_date=${iso(29 * 24 * HOUR)}&end_date=${iso(0)}`, { token: cloud.tokens.user });
		expect((month.body as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(41_000);
		cloud.setVitalsInterval(device.id, 60);
	});

	it('answers CSV when asked', async () => {
		const response = await call(cloud, 'GET', `/v1/diagnostics/${online().id}?start_date=${iso(3 * HOUR)}`, {
			token: cloud.tokens.user,
			headers: { accept: 'text/csv' },
		});
		expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
		const [header, first] = response.text.trim().split('\n');
		expect(header.split(',').slice(0, 2)).toEqual(['device_id', 'updated_at']);
		expect(header).toContain('device.power.battery.charge');
		expect(first.split(',')[0]).toBe(online().id);
	});

	it.each([
		['start_date=yesterday', 'start_date and end_date must be ISO8601 formatted'],
		[`start_date=${iso(HOUR)}&end_date=${iso(2 * HOUR)}`, 'start_date must be before end_date'],
		[`start_date=${iso(40 * 24 * HOUR)}`, 'start_date must be within the last 30 days'],
	])('refuses %s with 400', async (query, description) => {
		const response = await call(cloud, 'GET', `/v1/diagnostics/${online().id}?${query}`, { token: cloud.tokens.user });
		expect(response.status).toBe(400);
		expect(response.body).toEqual({ error: 'bad_request', description });
	});

	it('refresh makes a new last record and streams the diagnostics event; an offline device is 404', async () => {
		const device = online();
		const seen: string[] = [];
		const listener = (event: { name: string }) => seen.push(event.name);
		cloud.fleet.events.on('event', listener);
		const refreshed = await call(cloud, 'POST', `/v1/diagnostics/${device.id}/update`, { token: cloud.tokens.user });
		cloud.fleet.events.off('event', listener);
		expect(refreshed.status).toBe(200);
		expect(seen).toContain('spark/device/diagnostics/update');
		const last = await call(cloud, 'GET', `/v1/diagnostics/${device.id}/last`, { token: cloud.tokens.user });
		expect((last.body as { diagnostics: { updated_at: string } }).diagnostics.updated_at).toBe((refreshed.body as { updated_at: string }).updated_at);

		const offline = cloud.fleet.sandboxDevices().find((candidate) => !candidate.online)!;
		expect((await call(cloud, 'POST', `/v1/diagnostics/${offline.id}/update`, { token: cloud.tokens.user })).status).toBe(404);
	});

	it('enforces the diagnostics scope for API users', async () => {
		const device = cloud.fleet.productDevices(cloud.productClient.productId)[0];
		const response = await call(cloud, 'GET', `/v1/products/${cloud.productClient.productId}/diagnostics/${device.id}/last`, { token: cloud.tokens.apiUser });
		expect(response.status).toBe(403);
		expect(response.body).toMatchObject({ error: 'insufficient_scope' });
	});
});

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
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(cloud.openStreams()).toBe(1);
		req.destroy();
		expect(chunks.join('')).toMatch(/^:ok\n\nevent: ticker\ndata: \{"data":"x","ttl":60,"published_at":"[^"]+","coreid":"api","userid":"[0-9a-f]+","public":false\}\n\n$/);
	});

	it('refuses a customer on a product stream and an unknown product', async () => {
		expect((await call(cloud, 'GET', `/v1/products/${cloud.productClient.productId}/events`, { token: cloud.tokens.customer })).status).toBe(403);
		expect((await call(cloud, 'GET', '/v1/products/999999/events', { token: cloud.tokens.user })).status).toBe(404);
	});
});

describe('customers', () => {
	const product = () => cloud.productClient.productId;

	it('needs the product client to create, refuses duplicates, and lets no customer manage customers', async () => {
		const form = { email: 'dup@example.com', no_password: 'true', client_id: cloud.productClient.clientId, client_secret: cloud.productClient.clientSecret };
		expect((await call(cloud, 'POST', `/v1/products/${product()}/customers`, { form })).status).toBe(200);
		expect((await call(cloud, 'POST', `/v1/products/${product()}/customers`, { form })).status).toBe(400);
		expect((await call(cloud, 'POST', `/v1/products/${product()}/customers`, { form: { ...form, email: 'x@example.com', client_secret: 'wrong' } })).status).toBe(401);
		const asCustomer = await call(cloud, 'PUT', `/v1/products/${product()}/customers/dup%40example.com`, { token: cloud.tokens.customer, json: { password: 'long-enough-1' } });
		expect(asCustomer.status).toBe(403);
	});

	it('pages the customer list', async () => {
		const response = await call(cloud, 'GET', `/v1/products/${product()}/customers?per_page=1&page=2`, { token: cloud.tokens.user });
		expect(response.body).toMatchObject({ customers: [expect.objectContaining({ username: expect.any(String) })], meta: { page: 2, per_page: 1 } });
	});
});
