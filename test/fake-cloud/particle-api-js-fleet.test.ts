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

describe('SIMs, products, teams and claim codes through particle-api-js', () => {
	const tracker = () => cloud.fleet.products[1].id;
	// Seed 1 makes the first sandbox device a B-SoM (cellular).
	const sandboxSim = () => cloud.fleet.sandboxDevices().find((device) => device.iccid !== undefined)!;

	it('getFleetDataUsage returns the docs’ totals and the fields the client types', async () => {
		const response = await particle.getFleetDataUsage({ product: tracker(), auth: cloud.tokens.user });
		expect(response.body).toMatchObject({ usage_by_day: expect.any(Array), quota: expect.any(Number), used: expect.any(Number), total_active_sim_cards: 6 });
	});

	it('checkSIM resolves for the user’s SIM (204) and rejects with the status for an unknown one', async () => {
		const sim = sandboxSim();
		await expect(particle.checkSIM({ iccid: sim.iccid!, auth: cloud.tokens.user })).resolves.toEqual({ body: {}, statusCode: 204 });
		await expect(particle.checkSIM({ iccid: '89340765000000000000', auth: cloud.tokens.user })).rejects.toMatchObject({ statusCode: 404 });
	});

	it('listSIMs without a product lists the user’s SIMs; getSIMDataUsage without a product reads one', async () => {
		const listed = await particle.listSIMs({ auth: cloud.tokens.user });
		const sims = (listed.body as unknown as { sims: Array<{ iccid: string }> }).sims;
		expect(sims.map((sim) => sim.iccid)).toEqual(cloud.fleet.sandboxDevices().filter((device) => device.iccid).map((device) => device.iccid));
		const sim = sandboxSim();
		expect((await particle.getSIMDataUsage({ iccid: sim.iccid!, auth: cloud.tokens.user })).body).toMatchObject({ iccid: sim.iccid });
	});

	it('listSIMs with filters and paging on a product', async () => {
		const target = cloud.fleet.productDevices(tracker())[1];
		const filtered = await particle.listSIMs({ product: tracker(), deviceName: target.name, page: 1, perPage: 5, auth: cloud.tokens.user });
		expect(filtered.body).toMatchObject({ sims: [expect.objectContaining({ iccid: target.iccid })], meta: { page: 1, per_page: 5, total: 1 } });
	});

	it('listProducts and getProduct with a product token', async () => {
		const token = cloud.issueToken({ kind: 'product', productId: tracker() });
		const listed = await particle.listProducts({ auth: token });
		expect(listed.body).toEqual({ products: [expect.objectContaining({ id: tracker() })] });
		await expect(particle.getProduct({ product: cloud.fleet.products[0].slug, auth: token })).rejects.toMatchObject({ statusCode: 403 });
	});

	it('listTeamMembers shows an API user created through the team route as programmatic', async () => {
		const product = cloud.productClient.productId;
		const created = await fetch(`${cloud.url}/v1/products/${product}/team`, {
			method: 'POST',
			headers: { authorization: `Bearer ${cloud.tokens.user}`, 'content-type': 'application/json' },
			body: JSON.stringify({ friendly_name: 'js reader', scopes: ['devices:list'] }),
		});
		const { created: robot } = (await created.json()) as { created: { username: string; tokens: Array<{ token: string }> } };
		const team = await particle.listTeamMembers({ product, auth: cloud.tokens.user });
		expect(team.body).toMatchObject({ team: expect.arrayContaining([expect.objectContaining({ username: robot.username, is_programmatic: true })]) });
		// Its token works with the client too, within its scope.
		expect((await particle.listDevices({ product, auth: robot.tokens[0].token })).statusCode).toBe(200);
		await expect(particle.listDevices({ auth: robot.tokens[0].token })).rejects.toMatchObject({ statusCode: 400, shortErrorDescription: 'API users are not allowed to call this endpoint' });
	});

	it('getClaimCode on the product route with a customer token claims for that customer', async () => {
		const response = await particle.getClaimCode({ product: cloud.productClient.productId, auth: cloud.tokens.customer });
		expect(response.body).toEqual({ claim_code: expect.any(String), device_ids: [cloud.fleet.productDevices(cloud.productClient.productId)[0].id] });
		expect(cloud.fleet.claimCodes.at(-1)).toMatchObject({ owner: cloud.fleet.products[0].customers[0].username });
	});
});
