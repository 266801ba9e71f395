/**
 * The fake's system events, as Particle's docs show them: `spark/status` with data `online` / `offline` when a device
 * starts or ends a session, `spark/device/diagnostics/update` with the vitals payload as JSON text when it sends
 * vitals; on the device, product and organization streams the device belongs to, not on other prefixes or products.
 */
import { request, type ClientRequest } from 'node:http';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { call } from './helpers';

let cloud: FakeCloud;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 3, products: 2, productDevices: 3, seed: 4 });
});
afterAll(() => cloud.close());

interface WireEvent {
	name: string;
	data: Record<string, unknown>;
}

interface OpenStream {
	events: WireEvent[];
	close(): void;
}

const streams: OpenStream[] = [];
afterEach(() => {
	for (const stream of streams.splice(0)) stream.close();
});

/** Opens a stream and parses its `event:` / `data:` pairs as they come; resolves once the first `:ok` arrived. */
async function open(path: string): Promise<OpenStream> {
	const events: WireEvent[] = [];
	let req: ClientRequest | undefined;
	await new Promise<void>((resolve, reject) => {
		req = request(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${cloud.tokens.user}` } }, (res) => {
			if (res.statusCode !== 200) reject(new Error(`${path}: HTTP ${res.statusCode}`));
			let pending = '';
			res.on('data', (chunk: Buffer) => {
				pending += chunk.toString('utf8');
				const blocks = pending.split('\n\n');
				pending = blocks.pop() ?? '';
				for (const block of blocks) {
					const name = /^event: (.*)$/m.exec(block)?.[1];
					const data = /^data: (.*)$/m.exec(block)?.[1];
					if (name !== undefined && data !== undefined) events.push({ name, data: JSON.parse(data) as Record<string, unknown> });
				}
				resolve();
			});
		});
		req.on('error', reject);
		req.end();
	});
	const stream = { events, close: () => req?.destroy() };
	streams.push(stream);
	return stream;
}

async function until(what: string, condition: () => boolean): Promise<void> {
	const deadline = Date.now() + 5000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

const names = (stream: OpenStream) => stream.events.map((event) => `${event.name} ${typeof event.data.data === 'string' && event.data.data.startsWith('{') ? '{vitals}' : String(event.data.data)}`);

describe('system events', () => {
	it('a product device: on its device, product and organization streams, with productID and version; not elsewhere', async () => {
		const product = cloud.fleet.products[0];
		const other = cloud.fleet.products[1];
		const device = cloud.fleet.productDevices(product.id).find((candidate) => candidate.online)!;
		const own = await open(`/v1/products/${product.id}/devices/${device.id}/events/spark`);
		const fleet = await open(`/v1/products/${product.id}/events/spark`);
		const org = await open(`/v1/orgs/${cloud.fleet.organizations[0].slug}/events/spark`);
		const otherPrefix = await open(`/v1/products/${product.id}/events/temp`);
		const otherProduct = await open(`/v1/products/${other.id}/events`);
		const exact = await open(`/v1/products/${product.id}/events/spark%2Fstatus`);

		cloud.setOnline(device.id, false);
		cloud.setOnline(device.id, true);
		cloud.setVitals(device.id, { device: { power: { battery: { charge: 12.5 } } } });
		cloud.fleet.publish({ name: 'temp', data: '21', ttl: 60, published_at: new Date(cloud.now()).toISOString(), coreid: device.id, productID: product.id });
		await until('every stream', () => own.events.length === 3 && fleet.events.length === 3 && org.events.length === 3 && exact.events.length === 2 && otherPrefix.events.length === 1);

		const expected = ['spark/status offline', 'spark/status online', 'spark/device/diagnostics/update {vitals}'];
		expect(names(own)).toEqual(expected);
		expect(names(fleet)).toEqual(expected);
		expect(names(org)).toEqual(expected);
		expect(names(exact)).toEqual(expected.slice(0, 2));
		expect(otherPrefix.events.map((event) => event.name)).toEqual(['temp']);
		expect(otherProduct.events).toEqual([]);
		// The docs' product-stream fields; the vitals data is the payload /last answers, as JSON text.
		for (const event of fleet.events) {
			expect(event.data).toEqual({
				data: expect.any(String),
				ttl: 60,
				published_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				coreid: device.id,
				version: device.firmware_version,
				productID: product.id,
				public: false,
			});
		}
		const last = await call(cloud, 'GET', `/v1/products/${product.id}/diagnostics/${device.id}/last`, { token: cloud.tokens.user });
		const lastBody = last.body as { diagnostics: { updated_at: string; payload: unknown } };
		expect(JSON.parse(String(fleet.events[2].data.data))).toEqual(lastBody.diagnostics.payload);
		expect(fleet.events[2].data.published_at).toBe(lastBody.diagnostics.updated_at);
		expect(lastBody.diagnostics.payload).toMatchObject({ device: { power: { battery: { charge: 12.5 } } }, service: expect.any(Object) });
	});

	it('a sandbox device: on the user\'s stream and its own, without product fields; a vitals refresh publishes too', async () => {
		const device = cloud.fleet.sandboxDevices().find((candidate) => candidate.online)!;
		const mine = await open('/v1/devices/events/spark');
		const own = await open(`/v1/devices/${device.id}/events`);
		const product = await open(`/v1/products/${cloud.fleet.products[0].id}/events`);

		cloud.setOnline(device.id, false);
		cloud.setOnline(device.id, false);
		cloud.setOnline(device.id, true);
		expect((await call(cloud, 'POST', `/v1/diagnostics/${device.id}/update`, { token: cloud.tokens.user })).status).toBe(202);
		await until('both streams', () => mine.events.length === 3 && own.events.length === 3);

		// Setting the same state again publishes nothing: the cloud reports sessions, not calls.
		const expected = ['spark/status offline', 'spark/status online', 'spark/device/diagnostics/update {vitals}'];
		expect(names(mine)).toEqual(expected);
		expect(names(own)).toEqual(expected);
		expect(mine.events[0].data).toEqual({ data: 'offline', ttl: 60, published_at: expect.any(String), coreid: device.id, public: false });
		expect(product.events.filter((event) => event.data.coreid === device.id)).toEqual([]);
	});

	it('a session that ended unnoticed: offline immediately before online, at the same time', async () => {
		const [online, offline] = [cloud.fleet.sandboxDevices().find((d) => d.online)!, cloud.fleet.sandboxDevices().find((d) => !d.online)!];
		const mine = await open('/v1/devices/events/spark%2Fstatus');
		cloud.restartSession(online.id);
		cloud.restartSession(offline.id);
		await until('three events', () => mine.events.length === 3);
		expect(mine.events.map((event) => [event.data.coreid, event.data.data])).toEqual([
			[online.id, 'offline'],
			[online.id, 'online'],
			[offline.id, 'online'],
		]);
		expect(mine.events[1].data.published_at).toBe(mine.events[0].data.published_at);
		expect(online.last_handshake_at).toBe(mine.events[1].data.published_at);
		cloud.setOnline(offline.id, false);
	});

	it('the fleet script\'s changes reach the streams as system events', async () => {
		const mine = await open('/v1/devices/events/spark');
		const fleet = await open(`/v1/products/${cloud.fleet.products[0].id}/events/spark`);
		const script = cloud.startFleetScript({ everyMs: 60_000, maxSteps: 60, seed: 11 });
		for (let step = 0; step < 60; step++) script.step();
		script.stop();
		const sandbox = new Set(cloud.fleet.sandboxDevices().map((device) => device.id));
		const inProduct = new Set(cloud.fleet.productDevices(cloud.fleet.products[0].id).map((device) => device.id));
		const expected = (ids: Set<string>) =>
			script.log.filter((entry) => entry.step !== 'publish' && ids.has(entry.deviceId)).map((entry) => (entry.step === 'vitals' ? 'spark/device/diagnostics/update' : 'spark/status'));
		const fromSandbox = () => mine.events.filter((event) => sandbox.has(String(event.data.coreid)));
		await until('the script\'s events', () => fromSandbox().length >= expected(sandbox).length && fleet.events.length >= expected(inProduct).length);
		expect(fromSandbox().map((event) => event.name)).toEqual(expected(sandbox));
		expect(fleet.events.map((event) => event.name)).toEqual(expected(inProduct));
	});
});
