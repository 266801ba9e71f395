/**
 * The shared 429 gate: after a 429 it lets ONE request through first (the probe, the one held longest) and opens for
 * the others only when that one is accepted; a 429-refused request keeps waiting while its time budget lasts, then
 * fails saying it was not sent (rateLimitBudget.test.ts). Unit tests of the gate, then the Particle node through n8n's
 * engine against the fake cloud.
 */
import { RateLimitGate, type GatePass, type RateLimitHold } from '../../nodes/shared/transport';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Enters the gate and records when (ms after `start`) the pass came, or that the budget ran out. */
function enterAndRecord(gate: RateLimitGate, start: number, budgetMs = 60_000, hold: RateLimitHold = {}) {
	const entry: { at?: number; pass?: GatePass; expired?: boolean } = {};
	const done = gate.enter(hold, budgetMs).then((pass) => {
		entry.at = Date.now() - start;
		entry.pass = pass;
		entry.expired = pass === undefined;
	});
	return { entry, done };
}

describe('RateLimitGate', () => {
	it('lets every request through at once while no 429 came', async () => {
		const gate = new RateLimitGate();
		const passes = await Promise.all(Array.from({ length: 5 }, () => gate.enter({}, 1000)));
		expect(passes).toEqual(Array.from({ length: 5 }, () => ({ probe: false })));
	});

	it('after a 429 lets one probe through when the wait is over, and the others only once it is accepted', async () => {
		const gate = new RateLimitGate();
		const start = Date.now();
		gate.settle({ probe: false }, 300);
		const waiting = Array.from({ length: 5 }, () => enterAndRecord(gate, start));
		await sleep(700);
		const through = waiting.filter(({ entry }) => entry.pass !== undefined);
		expect(through).toHaveLength(1);
		expect(through[0].entry.pass).toEqual({ probe: true });
		expect(through[0].entry.at).toBeGreaterThanOrEqual(290);
		// The first to wait is the probe.
		expect(waiting[0].entry.pass).toEqual({ probe: true });

		gate.settle(waiting[0].entry.pass);
		await Promise.all(waiting.map(({ done }) => done));
		for (const { entry } of waiting.slice(1)) {
			expect(entry.pass).toEqual({ probe: false });
			// Woken by the probe's answer, not by a later look.
			expect(entry.at).toBeGreaterThanOrEqual(700);
			expect(entry.at).toBeLessThan(900);
		}
	});

	it('keeps the others waiting while probes are refused, one probe at a time, the request held longest first', async () => {
		const gate = new RateLimitGate();
		const start = Date.now();
		gate.settle(undefined, 100);
		const first = enterAndRecord(gate, start, 60_000, { since: start - 50 });
		const second = enterAndRecord(gate, start, 60_000, { since: start - 100 });
		const third = enterAndRecord(gate, start);
		await second.done;
		expect(second.entry.pass).toEqual({ probe: true });
		expect(first.entry.pass).toBeUndefined();
		// The probe is refused again: another wait, then the next probe (the refused one would re-enter with its own
		// `since`; here the next-longest waiter goes).
		gate.settle(second.entry.pass, 200);
		await first.done;
		expect(first.entry.pass).toEqual({ probe: true });
		expect(first.entry.at! - second.entry.at!).toBeGreaterThanOrEqual(190);
		expect(third.entry.pass).toBeUndefined();
		gate.settle(first.entry.pass);
		await third.done;
		expect(third.entry.pass).toEqual({ probe: false });
	});

	it('a refused probe that gives up (0 ms) frees the probe place at once', async () => {
		const gate = new RateLimitGate();
		const start = Date.now();
		gate.settle(undefined, 0);
		const probe = await gate.enter({}, 1000);
		expect(probe).toEqual({ probe: true });
		const next = enterAndRecord(gate, start);
		await sleep(50);
		expect(next.entry.pass).toBeUndefined();
		gate.settle(probe, 0);
		await next.done;
		expect(next.entry.pass).toEqual({ probe: true });
		expect(next.entry.at).toBeLessThan(200);
	});

	it('gives up on a request held past its budget, counted from when it was first held', async () => {
		const gate = new RateLimitGate();
		const start = Date.now();
		gate.settle(undefined, 10_000);
		const hold: RateLimitHold = {};
		const { entry, done } = enterAndRecord(gate, start, 400, hold);
		await done;
		expect(entry.expired).toBe(true);
		expect(entry.at).toBeGreaterThanOrEqual(390);
		expect(entry.at).toBeLessThan(1500);
		expect(hold.since).toBeGreaterThanOrEqual(start);
		// Held again later, the same request has no budget left.
		const again = enterAndRecord(gate, Date.now(), 400, hold);
		await again.done;
		expect(again.entry.expired).toBe(true);
		expect(again.entry.at).toBeLessThan(100);
	});
});

describe('the Particle node behind the gate (n8n engine, fake cloud)', () => {
	const cloud = useFakeCloud({ devices: 40, seed: 3 });
	const onlineIds = () => cloud().fleet.sandboxDevices().filter((device) => device.online).map((device) => device.id);
	const callLed = (concurrency: number) => ({
		resource: 'function',
		operation: 'call',
		device: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
		functionName: 'led',
		argument: 'on',
		options: { concurrency },
	});
	const executions = (id: string) => cloud().fleet.requireDevice(id).calls.length;

	afterEach(() => cloud().setLatency(0));

	it('after a wave of 429s sends one probe, and the rest only after the probe was answered', async () => {
		const ids = onlineIds().slice(0, 8);
		expect(ids).toHaveLength(8);
		const before = new Map(ids.map((id) => [id, executions(id)]));
		cloud().setLatency(150);
		cloud().injectFault({ method: 'POST', path: '/v1/devices/', status: 429, headers: { 'Retry-After': '1' }, times: 8 });
		const result = await runNode({ parameters: callLed(8), credentials: userToken(cloud()), items: ids.map((id) => ({ id })) });

		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.return_value)).toEqual(ids.map(() => 1));
		const calls = apiCalls(cloud());
		expect(calls.map((call) => call.status)).toEqual([...ids.map(() => 429), ...ids.map(() => 200)]);
		const lastRefused = Math.max(...calls.slice(0, 8).map((call) => call.at));
		const [probe, ...rest] = calls.slice(8);
		// The probe waited out Retry-After; the others were sent only after its answer (150 ms of latency later).
		expect(probe.at - lastRefused).toBeGreaterThanOrEqual(850);
		for (const call of rest) expect(call.at - probe.at).toBeGreaterThanOrEqual(140);
		// Each device ran its call exactly once: a 429 ran nothing.
		for (const id of ids) expect(executions(id) - before.get(id)!).toBe(1);
	});

	it('under a tight 429 limit loses no item and sends no call twice (concurrency 10, 24 items, 3 a second)', async () => {
		const ids = onlineIds().slice(0, 24);
		expect(ids).toHaveLength(24);
		const before = new Map(ids.map((id) => [id, executions(id)]));
		cloud().setRateLimit({ max: 3, windowMs: 1000, retryAfterSeconds: 1 });
		const result = await runNode({ parameters: callLed(10), credentials: userToken(cloud()), items: ids.map((id) => ({ id })), continueOnFail: true });

		expect(result.items.map((item) => item.json.error)).toEqual(ids.map(() => undefined));
		expect(result.items.map((item) => item.json.return_value)).toEqual(ids.map(() => 1));
		expect(result.items.map((item) => item.pairedItem)).toEqual(ids.map((_, item) => ({ item })));
		const calls = apiCalls(cloud());
		expect(calls.filter((call) => call.status === 200)).toHaveLength(24);
		expect(new Set(calls.map((call) => call.status))).toEqual(new Set([200, 429]));
		// More refusals than the five retries a request had before: the budget, not a count, kept them waiting.
		expect(calls.filter((call) => call.status === 429).length).toBeGreaterThan(5);
		for (const id of ids) expect(executions(id) - before.get(id)!).toBe(1);
	}, 30_000);
});
