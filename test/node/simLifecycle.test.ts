/**
 * SIM > Deactivate, Reactivate, Release and Get Status through n8n's engine against the fake cloud: the request
 * (method, raw path, JSON body, bearer token), the items (pairing), what it did to the fleet (the device offline,
 * back online, the SIM gone from the product), bad ICCIDs refused before sending, and the dangerous writes never sent
 * twice after a 500, a 408 or a dropped connection.
 */
import type { FakeDevice } from '../../fake-cloud';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

// Product 10002 is the Tracker product: every device has a SIM.
const cloud = useFakeCloud({ devices: 4, products: 2, productDevices: 16 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const user = () => userToken(cloud());
const tracker = () => cloud().fleet.products[1].id;
const inProduct = () => ({ resource: 'sim', deviceScope: 'product', product: rl('id', String(tracker())) });
type Cellular = FakeDevice & { iccid: string };
/** Online Trackers whose SIM nothing has touched yet, one per test. */
const freshSims = (count: number): Cellular[] => {
	const found = cloud()
		.fleet.productDevices(tracker())
		.filter((device): device is Cellular => device.online && device.iccid !== undefined && !cloud().fleet.simStates.has(device.iccid))
		.slice(0, count);
	expect(found).toHaveLength(count);
	return found;
};
const simPath = (device: Cellular) => `/v1/products/${tracker()}/sims/${device.iccid}`;

function expectCalls(...expected: Array<{ method: string; path: string; body?: unknown }>): void {
	expect(apiCalls(cloud()).map(({ method, path, body, authorization }) => ({ method, path, body, authorization }))).toEqual(
		expected.map((call) => ({ body: undefined, ...call, authorization: `Bearer ${cloud().tokens.user}` })),
	);
}

it('Deactivate: PUT action=deactivate for each input item; the devices go offline and stay offline', async () => {
	const sims = freshSims(2);
	const result = await runNode({
		parameters: { ...inProduct(), operation: 'deactivate', iccid: '={{ $json.iccid }}' },
		credentials: user(),
		// Spaces in an ICCID are dropped.
		items: sims.map((sim) => ({ iccid: `${sim.iccid.slice(0, 4)} ${sim.iccid.slice(4)}` })),
	});
	expectCalls(...sims.map((sim) => ({ method: 'PUT', path: simPath(sim), body: { action: 'deactivate' } })));
	expect(result.items).toEqual(sims.map((sim, item) => ({ json: { iccid: sim.iccid, action: 'deactivate' }, pairedItem: { item } })));
	expect(sims.map((sim) => sim.online)).toEqual([false, false]);
	cloud().setOnline(sims[0].id, true);
	expect(sims[0].online).toBe(false);
});

it('Reactivate: the SIM is active again and the device back online; Get shows it', async () => {
	const [sim] = freshSims(1);
	await runNode({ parameters: { ...inProduct(), operation: 'deactivate', iccid: sim.iccid }, credentials: user() });
	cloud().clearRequests();
	const result = await runNode({ parameters: { ...inProduct(), operation: 'reactivate', iccid: sim.iccid }, credentials: user() });
	expectCalls({ method: 'PUT', path: simPath(sim), body: { action: 'reactivate' } });
	expect(result.items).toEqual([{ json: { iccid: sim.iccid, action: 'reactivate' }, pairedItem: { item: 0 } }]);
	expect(sim.online).toBe(true);
	const read = await runNode({ parameters: { ...inProduct(), operation: 'get', iccid: sim.iccid }, credentials: user() });
	expect(read.items[0].json).toMatchObject({ status: 'active', deactivations_count: 1, activations_count: 2 });
});

it('Release: DELETE, 204; the SIM leaves the product and its device is offline', async () => {
	const [sim] = freshSims(1);
	const result = await runNode({ parameters: { ...inProduct(), operation: 'release', iccid: sim.iccid }, credentials: user() });
	expectCalls({ method: 'DELETE', path: simPath(sim) });
	expect(result.items).toEqual([{ json: { iccid: sim.iccid, action: 'release' }, pairedItem: { item: 0 } }]);
	expect(sim.online).toBe(false);
	const listed = await runNode({ parameters: { ...inProduct(), operation: 'getAll', returnAll: true }, credentials: user() });
	expect(listed.items.map((item) => item.json.iccid)).not.toContain(sim.iccid);
});

it('the sandbox: /v1/sims/:iccid', async () => {
	const own = cloud().fleet.sandboxDevices().find((device): device is Cellular => device.iccid !== undefined)!;
	await runNode({ parameters: { resource: 'sim', operation: 'deactivate', deviceScope: 'sandbox', iccid: own.iccid }, credentials: user() });
	await runNode({ parameters: { resource: 'sim', operation: 'reactivate', deviceScope: 'sandbox', iccid: own.iccid }, credentials: user() });
	expectCalls(
		{ method: 'PUT', path: `/v1/sims/${own.iccid}`, body: { action: 'deactivate' } },
		{ method: 'PUT', path: `/v1/sims/${own.iccid}`, body: { action: 'reactivate' } },
	);
});

it('Get Status: reads again while Particle says pending, then the complete answer', async () => {
	const [sim] = freshSims(1);
	const result = await runNode({ parameters: { ...inProduct(), operation: 'getStatus', iccid: sim.iccid }, credentials: user() });
	const calls = apiCalls(cloud());
	expect(calls.length).toBeGreaterThanOrEqual(2);
	expect(calls.every((call) => call.method === 'GET' && call.path === `${simPath(sim)}/status` && call.status === 202)).toBe(true);
	expect(result.items).toEqual([
		{
			json: {
				ok: true,
				meta: expect.objectContaining({ state: 'complete', method: 'async', task_id: expect.any(String) }),
				sim_status: { connected: true, gsm_connection: true, data_connection: true },
			},
			pairedItem: { item: 0 },
		},
	]);

	cloud().clearRequests();
	const once = await runNode({ parameters: { ...inProduct(), operation: 'getStatus', iccid: freshSims(1)[0].iccid, waitForResult: false }, credentials: user() });
	expect(apiCalls(cloud())).toHaveLength(1);
	expect(once.items[0].json).toMatchObject({ meta: { state: 'pending' } });
});

it('refuses an ICCID that is not 19 to 22 digits before sending; the other items go on', async () => {
	const [sim] = freshSims(1);
	const result = await runNode({
		parameters: { ...inProduct(), operation: 'release', iccid: '={{ $json.iccid }}' },
		credentials: user(),
		items: [{ iccid: '1234' }, { iccid: '../../devices' }, { iccid: sim.iccid }],
		continueOnFail: true,
	});
	expect(result.items.map((item) => item.json.error ?? item.json.action)).toEqual([
		'ICCID must be 19 to 22 digits (got "1234", 4 characters)',
		'ICCID must be 19 to 22 digits (got "../../devices", 13 characters)',
		'release',
	]);
	expectCalls({ method: 'DELETE', path: simPath(sim) });
});

it.each([
	['a 500', { status: 500 }],
	['a 408', { status: 408 }],
	['a dropped connection', { dropConnection: true }],
])('Deactivate and Release answered with %s are not sent again', async (_, fault) => {
	const [first, second] = freshSims(2);
	cloud().injectFault({ method: 'PUT', path: simPath(first), times: 3, ...fault });
	cloud().injectFault({ method: 'DELETE', path: simPath(second), times: 3, ...fault });
	const deactivated = await runNode({ parameters: { ...inProduct(), operation: 'deactivate', iccid: first.iccid }, credentials: user() });
	const released = await runNode({ parameters: { ...inProduct(), operation: 'release', iccid: second.iccid }, credentials: user() });
	expect([deactivated.status, released.status]).toEqual(['error', 'error']);
	expect(apiCalls(cloud()).map((call) => `${call.method} ${call.path}`)).toEqual([`PUT ${simPath(first)}`, `DELETE ${simPath(second)}`]);
	expect([first.online, second.online]).toEqual([true, true]);
});
