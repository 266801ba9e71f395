/**
 * Particle's own client, unchanged, against the fake's fleet-operator routes and its event stream.
 */
import Particle from 'particle-api-js';
import { startFakeCloud, type FakeCloud } from '../../fake-cloud';

let cloud: FakeCloud;
let particle: Particle;
beforeAll(async () => {
	cloud = await startFakeCloud({ devices: 3, products: 2, productDevices: 6 });
	particle = new Particle({ baseUrl: cloud.url, clientId: cloud.productClient.clientId, clientSecret: cloud.productClient.clientSecret });
});
afterAll(() => cloud.close());

/** particle-api-js's abort() leaves its 15 s idle timer running; clear it so the test run ends cleanly. */
function closeStream(stream: { abort(): void }): void {
	stream.abort();
	clearTimeout((stream as unknown as { idleTimeout?: NodeJS.Timeout }).idleTimeout);
}

interface StreamedEvent {
	name: string;
	data: string;
	coreid: string;
}

it('getEventStream receives events published to the sandbox stream, filtered by name', async () => {
	const stream = await particle.getEventStream({ deviceId: 'mine', name: 'greeting', auth: cloud.tokens.user });
	try {
		const received = new Promise<StreamedEvent>((resolve) => stream.on('event', (event: StreamedEvent) => resolve(event)));
		await particle.publishEvent({ name: 'other', data: 'ignored', isPrivate: true, auth: cloud.tokens.user });
		await particle.publishEvent({ name: 'greeting', data: 'hello', isPrivate: true, auth: cloud.tokens.user });
		await expect(received).resolves.toMatchObject({ name: 'greeting', data: 'hello' });
	} finally {
		closeStream(stream);
	}
});

it('getEventStream follows a product stream', async () => {
	const product = cloud.productClient.productId;
	const stream = await particle.getEventStream({ product, auth: cloud.tokens.user });
	try {
		const received = new Promise<StreamedEvent>((resolve) => stream.on('event', (event: StreamedEvent) => resolve(event)));
		const device = cloud.fleet.productDevices(product).find((candidate) => candidate.online)!;
		cloud.setOnline(device.id, false);
		await expect(received).resolves.toMatchObject({ name: 'spark/status', data: 'offline', coreid: device.id });
		cloud.setOnline(device.id, true);
	} finally {
		closeStream(stream);
	}
});

it('listSIMs and getSIMDataUsage work on a cellular product', async () => {
	const product = cloud.fleet.products[1].id;
	const sims = await particle.listSIMs({ product, auth: cloud.tokens.user });
	expect(sims.statusCode).toBe(200);
	const list = (sims.body as unknown as { sims: Array<{ iccid: string }> }).sims;
	expect(list.length).toBeGreaterThan(0);
	const usage = await particle.getSIMDataUsage({ iccid: list[0].iccid, product, auth: cloud.tokens.user });
	expect(usage.body).toMatchObject({ iccid: list[0].iccid, usage_by_day: expect.any(Array) });
});

it('createCustomer creates a customer with the product client and returns its token', async () => {
	const response = await particle.createCustomer({ email: 'api-js@example.com', password: 'a-Secret-123', product: cloud.productClient.productId });
	expect(response.body).toMatchObject({ token_type: 'bearer', access_token: expect.stringMatching(/^[0-9a-f]{40}$/) });
	expect(cloud.fleet.findCustomer(cloud.productClient.productId, 'api-js@example.com')).toBeDefined();
});

it('listTeamMembers lists the product team', async () => {
	const response = await particle.listTeamMembers({ product: cloud.productClient.productId, auth: cloud.tokens.user });
	expect(response.body).toMatchObject({ ok: true, team: expect.arrayContaining([expect.objectContaining({ username: cloud.fleet.user.username })]) });
});

it('getEventStream on the public firehose sees public events only', async () => {
	const stream = await particle.getEventStream({ name: 'news', auth: cloud.tokens.user });
	try {
		const received = new Promise<StreamedEvent>((resolve) => stream.on('event', (event: StreamedEvent) => resolve(event)));
		await particle.publishEvent({ name: 'news', data: 'private', isPrivate: true, auth: cloud.tokens.user });
		await particle.publishEvent({ name: 'news', data: 'public', isPrivate: false, auth: cloud.tokens.user });
		await expect(received).resolves.toMatchObject({ name: 'news', data: 'public' });
	} finally {
		closeStream(stream);
	}
});
