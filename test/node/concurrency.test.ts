/** The item loop's bounded concurrency: at most N in flight, order and pairing kept, one shared 429 back-off. */
import type { RecordedRequest } from '../../fake-cloud';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 12 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const onlineDevices = () => cloud().fleet.sandboxDevices().filter((device) => device.online);

function callLed(concurrency?: number) {
	return {
		resource: 'function',
		operation: 'call',
		device: rl('id', '={{ $json.id }}'),
		functionName: 'led',
		argument: 'on',
		...(concurrency ? { itemProcessing: { concurrency } } : {}),
	};
}

/** The most requests that arrived within `windowMs` of one another: a lower bound of what was in flight together. */
function maxArrivalsWithin(calls: RecordedRequest[], windowMs: number): number {
	return Math.max(...calls.map((call) => calls.filter((other) => other.at >= call.at && other.at < call.at + windowMs).length));
}

afterEach(() => cloud().setLatency(0));

describe('item concurrency', () => {
	it('is sequential by default', async () => {
		cloud().setLatency(60);
		const devices = onlineDevices().slice(0, 4);
		const result = await runNode({ parameters: callLed(), credentials: userToken(cloud()), items: devices.map(({ id }) => ({ id })) });
		expect(result.items).toHaveLength(4);
		expect(maxArrivalsWithin(apiCalls(cloud()), 40)).toBe(1);
	});

	it('keeps at most N requests in flight, and the output in input order with its pairing', async () => {
		cloud().setLatency(150);
		const devices = onlineDevices();
		const items = Array.from({ length: 10 }, (_, index) => ({ id: devices[index % devices.length].id }));
		// The first item is slowest, so it finishes last.
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${items[0].id}/led`, delayMs: 300 });
		const started = Date.now();
		const result = await runNode({ parameters: callLed(3), credentials: userToken(cloud()), items });
		const elapsed = Date.now() - started;

		const calls = apiCalls(cloud());
		expect(calls).toHaveLength(10);
		expect(maxArrivalsWithin(calls, 100)).toBe(3);
		// Four rounds of three at 150 ms each, not ten in a row.
		expect(elapsed).toBeLessThan(10 * 150);
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(result.items.map((item) => item.json.id)).toEqual(items.map((item) => item.id));
	});

	it('makes every request wait when one of them is told 429, then resends it', async () => {
		const devices = onlineDevices();
		const items = Array.from({ length: 8 }, (_, index) => ({ id: devices[index % devices.length].id }));
		cloud().setLatency(30);
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${items[2].id}/led`, status: 429, headers: { 'Retry-After': '2' } });
		const result = await runNode({ parameters: callLed(4), credentials: userToken(cloud()), items });

		expect(result.status).toBe('success');
		expect(result.items.every((item) => item.json.return_value === 1)).toBe(true);
		const calls = apiCalls(cloud());
		expect(calls).toHaveLength(9);
		const refused = calls.find((call) => call.status === 429)!;
		// Only requests already on their way may arrive during the wait (400 ms of slack for a loaded machine).
		const duringWait = calls.filter((call) => call.at > refused.at + 400 && call.at < refused.at + 1900);
		expect(duringWait).toHaveLength(0);
		const afterWait = calls.filter((call) => call.at >= refused.at + 1900);
		expect(afterWait.length).toBeGreaterThanOrEqual(1);
	});

	it('with Continue On Fail, a failure at any position yields an error item in place', async () => {
		const devices = onlineDevices();
		const items = [{ id: devices[0].id }, { id: 'ffffffffffffffffffffffff' }, { id: devices[1].id }, { id: devices[2].id }];
		const result = await runNode({ parameters: callLed(4), credentials: userToken(cloud()), items, continueOnFail: true });
		expect(result.items.map((item) => [item.pairedItem, item.json.error === undefined])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, false],
			[{ item: 2 }, true],
			[{ item: 3 }, true],
		]);
	});

	it('without Continue On Fail, starts no new item after a failure and fails the run', async () => {
		cloud().setLatency(50);
		const devices = onlineDevices();
		const items = [{ id: 'ffffffffffffffffffffffff' }, ...devices.slice(0, 7).map(({ id }) => ({ id }))];
		const result = await runNode({ parameters: callLed(2), credentials: userToken(cloud()), items });
		expect(result.status).toBe('error');
		expect(apiCalls(cloud()).length).toBeLessThan(items.length);
	});
});
