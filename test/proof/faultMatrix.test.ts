/**
 * The fault matrix: every fault the fake cloud can inject, against every kind of operation, through n8n's engine.
 * Each row asserts what reached the cloud (requests per method and path, and when) and what came out (one result
 * or one error item per input item, in order, paired). Counts of faults and items are printed at the end.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { FaultRule, RecordedRequest } from '../../fake-cloud';
import { apiCalls, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { CREDENTIAL_ID, runNode, runPoll, startTrigger, type RunningTrigger } from '../harness/engine';
import { TestCredentialsHelper } from '../harness/credentials';
import { gaps, pause, rl, until } from './helpers';

const cloud = useFakeCloud({ devices: 4, productDevices: 4 });

const tally = { faults: 0, items: 0, rows: 0 };
afterAll(() => {
	process.stdout.write(`fault matrix: ${tally.rows} rows, ${tally.faults} faults injected, ${tally.items} output items checked\n`);
});

function inject(rule: FaultRule): void {
	tally.faults += rule.times ?? 1;
	cloud().injectFault(rule);
}

const productId = () => cloud().productClient.productId;
const onlineSandbox = () => cloud().fleet.sandboxDevices().find((device) => device.online)!;
const onlineProductDevice = () => cloud().fleet.productDevices(productId()).find((device) => device.online)!;

interface Kind {
	name: string;
	/** Writes must never be sent twice after a 5xx, a 408, a reset or an unreadable answer. */
	write: boolean;
	method: string;
	/** Decoded path every request of this operation goes to. */
	path(): string;
	parameters(): INodeParameters;
	/** A call that reaches the device: after a 408 the node reads the device once (this path) to say when it was last heard. */
	deviceRead?: () => string;
}

const kinds: Kind[] = [
	{
		name: 'read (Device > Get)',
		write: false,
		method: 'GET',
		path: () => `/v1/devices/${onlineSandbox().id}`,
		parameters: () => ({ resource: 'device', operation: 'get', deviceScope: 'sandbox', device: rl('id', onlineSandbox().id) }),
	},
	{
		name: 'paged read (Device > Get Many, product, all pages)',
		write: false,
		method: 'GET',
		path: () => `/v1/products/${productId()}/devices`,
		parameters: () => ({
			resource: 'device',
			operation: 'getAll',
			deviceScope: 'product',
			product: rl('id', String(productId())),
			returnAll: true,
		}),
	},
	{
		name: 'device call (Function > Call)',
		write: true,
		method: 'POST',
		path: () => `/v1/devices/${onlineSandbox().id}/led`,
		parameters: () => ({ resource: 'function', operation: 'call', device: rl('id', onlineSandbox().id), functionName: 'led', argument: 'on' }),
		deviceRead: () => `/v1/devices/${onlineSandbox().id}`,
	},
	{
		name: 'publish (Event > Publish)',
		write: true,
		method: 'POST',
		path: () => '/v1/devices/events',
		parameters: () => ({ resource: 'event', operation: 'publish', eventName: 'proof/fault', data: 'x' }),
	},
	{
		name: 'update (Device > Update Notes)',
		write: true,
		method: 'PUT',
		path: () => `/v1/devices/${onlineSandbox().id}`,
		parameters: () => ({ resource: 'device', operation: 'updateNotes', device: rl('id', onlineSandbox().id), notes: 'fault matrix' }),
	},
];

const ITEMS = 3;

/** Every input item has output, paired with it, in input order; returns each input's items. */
function byInput(items: INodeExecutionData[]): IDataObject[][] {
	tally.items += items.length;
	const grouped: IDataObject[][] = Array.from({ length: ITEMS }, () => []);
	let last = -1;
	for (const item of items) {
		const paired = item.pairedItem as { item: number };
		expect(paired.item).toBeGreaterThanOrEqual(last);
		last = paired.item;
		grouped[paired.item].push(item.json);
	}
	for (const group of grouped) expect(group.length).toBeGreaterThan(0);
	return grouped;
}

function routeCalls(kind: Kind): RecordedRequest[] {
	return apiCalls(cloud()).filter((call) => call.method === kind.method && call.decodedPath === kind.path());
}

/** `others`: the requests expected besides the operation's own route, as `METHOD path status`, in order. */
async function runKind(kind: Kind, others: string[] = []) {
	const result = await runNode({ parameters: kind.parameters(), credentials: userToken(cloud()), items: Array.from({ length: ITEMS }, () => ({})), continueOnFail: true });
	expect(result.status).toBe('success');
	// Nothing but the operation's own route was called, and the reads expected.
	expect(
		apiCalls(cloud())
			.filter((call) => !(call.method === kind.method && call.decodedPath === kind.path()))
			.map((call) => `${call.method} ${call.decodedPath} ${call.status}`),
	).toEqual(others);
	return byInput(result.items);
}

/** n8n's error item: Particle's words, what to do, and the HTTP status when the cloud answered. */
const errorItem = (error: unknown, description: unknown, status?: number) => ({
	error,
	description,
	...(status === undefined ? {} : { httpCode: String(status) }),
});

const succeeded = (group: IDataObject[]) => group.every((json) => json.error === undefined);

describe.each(kinds)('$name', (kind) => {
	const fault = (rule: FaultRule) => inject({ method: kind.method, path: kind.path(), ...rule });

	it('429 with Retry-After: waits at least as long as asked, sends again once, every item succeeds', async () => {
		tally.rows++;
		fault({ status: 429, headers: { 'Retry-After': '1' } });
		const groups = await runKind(kind);
		const calls = routeCalls(kind);
		expect(calls.map((call) => call.status)).toEqual([429, 200, 200, 200]);
		expect(gaps(calls)[0]).toBeGreaterThanOrEqual(990);
		expect(groups.every(succeeded)).toBe(true);
	});

	it('429 without Retry-After: backs off, then succeeds', async () => {
		tally.rows++;
		fault({ status: 429, times: 2 });
		const groups = await runKind(kind);
		const calls = routeCalls(kind);
		expect(calls.map((call) => call.status)).toEqual([429, 429, 200, 200, 200]);
		// Jittered exponential from 1 s: at least half of 1 s, then at least half of 2 s.
		expect(gaps(calls)[0]).toBeGreaterThanOrEqual(490);
		expect(gaps(calls)[1]).toBeGreaterThanOrEqual(990);
		expect(groups.every(succeeded)).toBe(true);
	});

	const transient: Array<[string, FaultRule]> = [
		['500', { status: 500 }],
		['502', { status: 502 }],
		['503', { status: 503 }],
		['a reset connection', { dropConnection: true }],
	];
	it.each(transient)(
		kind.write ? 'after %s: not sent again, an error item for that item only' : 'after %s: backs off, sends again, succeeds',
		async (_what, rule) => {
			tally.rows++;
			fault(rule);
			const groups = await runKind(kind);
			const calls = routeCalls(kind);
			if (kind.write) {
				expect(calls).toHaveLength(ITEMS);
				expect(groups[0]).toEqual([
					errorItem(
						rule.status === undefined ? 'Could not reach the Particle Cloud (ECONNRESET)' : expect.stringMatching(new RegExp(`^The Particle Cloud failed to handle the request \\(HTTP ${rule.status}\\)`)),
						expect.stringMatching(/not sent again: the device may already have acted/),
						rule.status,
					),
				]);
				expect(groups.slice(1).every(succeeded)).toBe(true);
			} else {
				expect(calls).toHaveLength(ITEMS + 1);
				expect(gaps(calls)[0]).toBeGreaterThanOrEqual(240);
				expect(groups.every(succeeded)).toBe(true);
			}
		},
	);

	it('a 408 (the device did not answer): never sent again, an error item for that item only', async () => {
		tally.rows++;
		fault({ status: 408, body: { ok: false, error: 'Timed out.' } });
		// As the device was last heard when the first item's call failed: the later items' calls are heard anew.
		const lastHeard = kind.deviceRead ? `Particle last heard from it at ${onlineSandbox().last_heard}.` : 'offline, asleep or busy';
		// A call that reached for the device is followed by one read of the device (never by the call again).
		const groups = await runKind(kind, kind.deviceRead ? [`GET ${kind.deviceRead()} 200`] : []);
		expect(routeCalls(kind)).toHaveLength(ITEMS);
		expect(groups[0]).toEqual([errorItem('The device did not answer in time: Timed out.', expect.stringContaining(lastHeard), 408)]);
		expect(groups[0][0].description).toMatch(/offline, asleep or busy/);
		expect(groups.slice(1).every(succeeded)).toBe(true);
	});

	it('a malformed JSON body: a clear error item, not sent again, the other items go on', async () => {
		tally.rows++;
		fault({ status: 200, body: '{"ok": true, "id": "abc', headers: { 'content-type': 'application/json' } });
		const groups = await runKind(kind);
		expect(routeCalls(kind)).toHaveLength(ITEMS);
		expect(groups[0]).toEqual([errorItem('Particle answered HTTP 200: The answer is not valid JSON', expect.any(String), 200)]);
		expect(groups.slice(1).every(succeeded)).toBe(true);
	});

	it('a revoked token (401): a clear error item per item; sent once more only by n8n\'s credential refresh', async () => {
		tally.rows++;
		const token = cloud().issueToken({ kind: 'user' });
		cloud().revokeToken(token);
		tally.faults++;
		const result = await runNode({
			parameters: kind.parameters(),
			credentials: { ...userToken(cloud()), accessToken: token },
			items: Array.from({ length: ITEMS }, () => ({})),
			continueOnFail: true,
		});
		const groups = byInput(result.items);
		// n8n-core resends once after a 401 (to let a credential refresh itself); the node adds no retry of its own.
		expect(routeCalls(kind).map((call) => call.status)).toEqual([401, 401, 401, 401, 401, 401]);
		for (const group of groups) {
			expect(group).toEqual([errorItem(expect.stringMatching(/^Particle did not accept the access token/), expect.stringMatching(/Retrying will not help/), 401)]);
		}
	});
});

describe('an expired product token (401)', () => {
	const productKinds: Kind[] = [
		{
			name: 'read (Vitals > Get Last, product)',
			write: false,
			method: 'GET',
			path: () => `/v1/products/${productId()}/diagnostics/${onlineProductDevice().id}/last`,
			parameters: () => ({ resource: 'vitals', operation: 'getLast', deviceScope: 'product', product: rl('id', String(productId())), device: rl('id', onlineProductDevice().id) }),
		},
		{
			name: 'device call (Function > Call, product)',
			write: true,
			method: 'POST',
			path: () => `/v1/products/${productId()}/devices/${onlineProductDevice().id}/led`,
			parameters: () => ({ resource: 'function', operation: 'call', deviceScope: 'product', product: rl('id', String(productId())), device: rl('id', onlineProductDevice().id), functionName: 'led', argument: 'on' }),
		},
	];

	it.each(productKinds)('$name: one new token, the refused request sent again once, every item succeeds', async (kind) => {
		tally.rows++;
		const helper = new TestCredentialsHelper();
		const run = async () =>
			await runNode({ parameters: kind.parameters(), credentials: productClient(cloud()), items: Array.from({ length: ITEMS }, () => ({})), continueOnFail: true, credentialsHelper: helper });
		await run();
		const stale = String(helper.store.get(CREDENTIAL_ID)?.sessionToken);
		expect(stale).toMatch(/^[0-9a-f]{40}$/);
		cloud().expireToken(stale);
		tally.faults++;
		cloud().clearRequests();
		const calls = cloud().fleet.devices.get(onlineProductDevice().id)!.calls.length;

		const groups = byInput((await run()).items);
		expect(groups.every(succeeded)).toBe(true);
		expect(tokenExchanges(cloud())).toHaveLength(1);
		expect(routeCalls(kind).map((call) => call.status)).toEqual([401, 200, 200, 200]);
		// The refused call never reached the device: each item acted exactly once.
		if (kind.write) expect(cloud().fleet.devices.get(onlineProductDevice().id)!.calls.length - calls).toBe(ITEMS);
		expect(String(helper.store.get(CREDENTIAL_ID)?.sessionToken)).not.toBe(stale);
	});
});

describe('a slow device (408 after the cloud waited)', () => {
	it.each([
		['Function > Call', { resource: 'function', operation: 'call', functionName: 'led', argument: 'on' }, 'POST', 'led'],
		['Variable > Get', { resource: 'variable', operation: 'get', variableName: 'temperature' }, 'GET', 'temperature'],
	])('%s: one request per item, error items, the device not called twice', async (_name, parameters, method, leaf) => {
		tally.rows++;
		const device = onlineSandbox();
		cloud().setSlowDevice(device.id, 30);
		tally.faults += ITEMS;
		const before = device.calls.length;
		try {
			const result = await runNode({
				parameters: { ...parameters, device: rl('id', device.id) },
				credentials: userToken(cloud()),
				items: Array.from({ length: ITEMS }, () => ({})),
				continueOnFail: true,
			});
			const groups = byInput(result.items);
			// Each 408 is followed by one read of the device, to say when it was last heard; the call is never repeated.
			expect(apiCalls(cloud()).map((call) => `${call.method} ${call.decodedPath} ${call.status}`)).toEqual(
				Array.from({ length: ITEMS }, () => [`${method} /v1/devices/${device.id}/${leaf} 408`, `GET /v1/devices/${device.id} 200`]).flat(),
			);
			const lastHeard = `Particle last heard from it at ${device.last_heard}.`;
			for (const group of groups) {
				expect(group).toEqual([errorItem('The device did not answer in time: Timed out.', expect.stringContaining(lastHeard), 408)]);
				expect(group[0].description).toMatch(/offline, asleep or busy/);
			}
			expect(device.calls.length).toBe(before);
		} finally {
			cloud().setSlowDevice(device.id, null);
		}
	});
});

describe('the polling trigger under faults: the change is reported exactly once, on this poll or the next', () => {
	const parameters = { events: ['deviceWentOffline', 'deviceCameOnline'], deviceScope: 'sandbox' };
	const poll = async (staticData: IDataObject) => {
		const output = await runPoll({ parameters, credentials: userToken(cloud()), staticData });
		return output?.[0].map((item) => item.json) ?? [];
	};

	it.each<[string, FaultRule, 'now' | 'next']>([
		['429 with Retry-After', { status: 429, headers: { 'Retry-After': '1' } }, 'now'],
		['503', { status: 503, times: 2 }, 'now'],
		['a reset connection', { dropConnection: true }, 'now'],
		['a malformed JSON body', { status: 200, body: '{"devices": [', headers: { 'content-type': 'application/json' } }, 'next'],
		// Twice: n8n's credential layer itself sends a request once more after a 401.
		['a revoked token', { status: 401, body: { error: 'invalid_token', error_description: 'The access token provided is invalid.' }, times: 2 }, 'next'],
	])('%s on the device list', async (_what, rule, when) => {
		tally.rows++;
		const staticData: IDataObject = {};
		await poll(staticData);
		const device = onlineSandbox();
		cloud().setOnline(device.id, false);
		try {
			inject({ method: 'GET', path: '/v1/devices', ...rule });
			const reported: IDataObject[] = [];
			if (when === 'now') {
				reported.push(...(await poll(staticData)));
			} else {
				await expect(poll(staticData)).rejects.toThrow(/^(Particle answered HTTP 200: The answer is not valid JSON|Particle did not accept the access token)/);
				reported.push(...(await poll(staticData)));
			}
			reported.push(...(await poll(staticData)));
			tally.items += reported.length;
			expect(reported.map((change) => [change.event, change.deviceId])).toEqual([['deviceWentOffline', device.id]]);
			if (rule.status === 429) {
				const lists = apiCalls(cloud()).filter((call) => call.path === '/v1/devices');
				const refused = lists.findIndex((call) => call.status === 429);
				expect(lists[refused + 1].at - lists[refused].at).toBeGreaterThanOrEqual(990);
			}
		} finally {
			cloud().setOnline(device.id, true);
		}
	});
});

describe('the event trigger under stream faults: nothing emitted twice, nothing lost while connected, no failure', () => {
	const running: RunningTrigger[] = [];
	afterEach(async () => {
		cloud().silenceStreams(false);
		await Promise.all(running.splice(0).map(async (trigger) => await trigger.close()));
	});

	const streamPath = '/v1/devices/events/proof';
	const opens = () => apiCalls(cloud()).filter((call) => call.path === streamPath);
	const publish = (data: string) =>
		cloud().fleet.publish({
			name: 'proof/seq',
			data,
			ttl: 60,
			private: true,
			published_at: new Date().toISOString(),
			coreid: cloud().fleet.sandboxDevices()[0].id,
			userid: cloud().fleet.user.id,
		});

	async function start(options: INodeParameters = {}) {
		const trigger = await startTrigger({ parameters: { scope: 'mine', eventName: 'proof', options }, credentials: userToken(cloud()) });
		running.push(trigger);
		return trigger;
	}

	async function sendAndExpect(trigger: RunningTrigger, from: number, to: number) {
		for (let index = from; index < to; index++) publish(String(index));
		await until(`events up to ${to - 1}`, () => trigger.emitted.length >= to);
		await pause(50);
		const data = trigger.emitted.map((event) => event.data);
		tally.items += to - from;
		expect(data).toEqual(Array.from({ length: to }, (_, index) => index));
		expect(trigger.errors).toEqual([]);
	}

	it.each<[string, string | undefined]>([
		['529 with Retry-After', '2'],
		['529 without Retry-After', undefined],
	])('%s on stream open: activation waits it out, then the stream works', async (_what, retryAfter) => {
		tally.rows++;
		inject({ method: 'GET', path: streamPath, status: 529, times: 2, ...(retryAfter ? { headers: { 'Retry-After': retryAfter } } : {}) });
		const trigger = await start();
		await until('an open stream', () => cloud().openStreams() === 1, 12_000);
		const calls = opens();
		expect(calls.map((call) => call.status)).toEqual([529, 529, 200]);
		const minimum = retryAfter ? Number(retryAfter) * 1000 - 10 : 490;
		for (const gap of gaps(calls)) expect(gap).toBeGreaterThanOrEqual(minimum);
		await sendAndExpect(trigger, 0, 5);
	}, 20_000);

	it('a dropped stream is reopened once; events before and after arrive once each', async () => {
		tally.rows++;
		const trigger = await start();
		await sendAndExpect(trigger, 0, 5);
		tally.faults++;
		cloud().dropStreams();
		await until('a second stream', () => opens().length === 2 && cloud().openStreams() === 1);
		await sendAndExpect(trigger, 5, 10);
		expect(opens()).toHaveLength(2);
	});

	it('a truncated SSE chunk (half an event, then the cut) is never emitted; the next events arrive once', async () => {
		tally.rows++;
		const trigger = await start();
		await sendAndExpect(trigger, 0, 3);
		tally.faults++;
		cloud().dropStreams('event: proof/seq\ndata: {"data":"99","ttl":60,"published_at":"2026-01-01T00:00:00.000Z","cor');
		await until('a second stream', () => opens().length === 2 && cloud().openStreams() === 1);
		await sendAndExpect(trigger, 3, 6);
	});

	it('a silent stream (no keep-alive) is reopened after the silence timeout; no duplicate after it', async () => {
		tally.rows++;
		const trigger = await start({ silenceTimeout: 15 });
		await sendAndExpect(trigger, 0, 3);
		tally.faults++;
		const silencedAt = Date.now();
		cloud().silenceStreams(true);
		await until('a reopened stream', () => opens().length >= 2, 25_000);
		// Not before the 15 s of silence were up (the last byte came just before silencedAt).
		expect(opens()[1].at - silencedAt).toBeGreaterThanOrEqual(14_900);
		cloud().silenceStreams(false);
		await until('one open stream', () => cloud().openStreams() === 1);
		await sendAndExpect(trigger, 3, 6);
	}, 40_000);
});
