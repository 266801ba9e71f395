/** The item loop's bounded concurrency: at most N in flight, order and pairing kept, one shared 429 back-off. */
import type { INode, INodeParameters, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { RecordedRequest } from '../../fake-cloud';
import { concurrencyOption, ownOptionsName } from '../../nodes/Particle/actions/common';
import { Particle } from '../../nodes/Particle/Particle.node';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

const cloud = useFakeCloud({ devices: 12 });

const rl = (mode: string, value: string) => ({ __rl: true, mode, value });
const onlineDevices = () => cloud().fleet.sandboxDevices().filter((device) => device.online);

/** Item Processing > Concurrency, as workflows saved before it moved into Options have it. */
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

/** The most requests the fake was serving at once, as the fake counted them (no stopwatch, so load cannot skew it). */
function maxInFlight(calls: RecordedRequest[]): number {
	return Math.max(...calls.map((call) => call.inFlight));
}

afterEach(() => cloud().setLatency(0));

describe('item concurrency', () => {
	it('runs as many at once as the Concurrency default when none is set, after the first item went alone', async () => {
		cloud().setLatency(60);
		const devices = onlineDevices().slice(0, 5);
		const result = await runNode({ parameters: callLed(), credentials: userToken(cloud()), items: devices.map(({ id }) => ({ id })) });
		expect(result.items).toHaveLength(5);
		const calls = apiCalls(cloud());
		expect(maxInFlight(calls)).toBe(Math.min(Number(concurrencyOption.default), 4));
		// The first item's call was answered before any other was sent (the run learns its token first).
		expect(calls.slice(1).every((call) => call.at >= calls[0].at + 50)).toBe(true);
	});

	it('sends the items for one device one after the other, in input order, while other devices run beside them', async () => {
		cloud().setLatency(80);
		const [first, second] = onlineDevices();
		// on, off, on to the first device; the second device's items in between.
		const items = [first, second, first, second, first].map(({ id }, index) => ({ id, arg: `step-${index}` }));
		const parameters = { ...callLed(), argument: '={{ $json.arg }}', options: { concurrency: 5 } };
		const result = await runNode({ parameters, credentials: userToken(cloud()), items });

		expect(result.status).toBe('success');
		const calls = apiCalls(cloud());
		const toFirst = calls.filter((call) => call.path === `/v1/devices/${first.id}/led`);
		// In input order, and each sent only after the one before it was answered (the fake saw one at a time).
		expect(toFirst.map((call) => (call.body as { arg?: string }).arg)).toEqual(['step-0', 'step-2', 'step-4']);
		expect(first.calls.slice(-3).map((call) => call.arg)).toEqual(['step-0', 'step-2', 'step-4']);
		for (let index = 1; index < toFirst.length; index++) {
			expect(toFirst[index].at - toFirst[index - 1].at).toBeGreaterThanOrEqual(70);
		}
		// The two devices did run side by side.
		expect(maxInFlight(calls)).toBe(2);
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
	});

	it('reads two devices at a time for One File for All Items, whatever the Concurrency (the file is built in memory)', async () => {
		cloud().setLatency(100);
		const devices = onlineDevices().slice(0, 6);
		const parameters = {
			resource: 'vitals',
			operation: 'getHistory',
			device: rl('id', '={{ $json.id }}'),
			startDate: new Date(Date.now() - 3 * 3_600_000).toISOString(),
			output: 'csv',
			csvOptions: { merge: true, includeDeviceName: false, concurrency: 10 },
		};
		const result = await runNode({ parameters, credentials: userToken(cloud()), items: devices.map(({ id }) => ({ id })) });
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(1);
		const calls = apiCalls(cloud());
		expect(calls.map((call) => call.path).sort()).toEqual(devices.map(({ id }) => `/v1/diagnostics/${id}`).sort());
		expect(maxInFlight(calls)).toBe(2);
	});

	it('keeps at most N requests in flight, and the output in input order with its pairing', async () => {
		cloud().setLatency(150);
		const devices = onlineDevices();
		const items = Array.from({ length: 10 }, (_, index) => ({ id: devices[index % devices.length].id }));
		// The first item is slowest, so it finishes last.
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${items[0].id}/led`, delayMs: 300 });
		const result = await runNode({ parameters: callLed(3), credentials: userToken(cloud()), items });

		const calls = apiCalls(cloud());
		expect(calls).toHaveLength(10);
		// Three at once (so not ten in a row), never four.
		expect(maxInFlight(calls)).toBe(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(result.items.map((item) => item.json.id)).toEqual(items.map((item) => item.id));
	});

	it('makes every request wait when one of them is told 429, then resends it', async () => {
		const items = onlineDevices().slice(0, 8).map(({ id }) => ({ id }));
		expect(items).toHaveLength(8);
		const led = (index: number) => `/v1/devices/${items[index].id}/led`;
		// Item 0 goes alone first; then items 1 to 4 start together. Item 2 is refused at once while 1, 3 and 4 are held
		// for 1 s: the 429 is back a second before any worker frees up, so items 5 to 7 all start after it.
		for (const index of [1, 3, 4]) cloud().injectFault({ method: 'POST', path: led(index), delayMs: 1000 });
		cloud().injectFault({ method: 'POST', path: led(2), status: 429, headers: { 'Retry-After': '2' } });
		const result = await runNode({ parameters: callLed(4), credentials: userToken(cloud()), items });

		expect(result.status).toBe('success');
		expect(result.items.every((item) => item.json.return_value === 1)).toBe(true);
		const calls = apiCalls(cloud());
		expect(calls).toHaveLength(9);
		const [refused, resent] = calls.filter((call) => call.path === led(2));
		expect([refused.status, resent.status]).toEqual([429, 200]);
		// Lower bounds only, which load cannot break: the resend and every item started after the 429 waited out
		// Retry-After (100 ms of slack for timer rounding).
		const waited = [resent, ...calls.filter((call) => [5, 6, 7].some((index) => call.path === led(index)))];
		expect(waited).toHaveLength(4);
		for (const call of waited) expect(call.at - refused.at).toBeGreaterThanOrEqual(1900);
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

describe('one Options collection per operation (Concurrency inside it)', () => {
	const description: INodeTypeDescription = new Particle().description;
	const node: INode = { id: 'n', name: 'Particle', type: 'n8n-nodes-particle.particle', typeVersion: 1, position: [0, 0], parameters: {} };

	/** The collections the editor shows for these parameters, by display name. */
	function shownCollections(parameters: INodeParameters): string[] {
		const values = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, node, description) ?? {};
		return description.properties
			.filter((property) => property.type === 'collection' || property.type === 'hidden')
			.filter((property) => property.type !== 'hidden' && NodeHelpers.displayParameter(values, property, node, description))
			.map((property) => property.displayName);
	}

	// Every operation, in every variant of its fields: optionsCollection.test.ts.
	it.each([
		['function', 'call'],
		['variable', 'get'],
		['event', 'publish'],
		['vitals', 'getHistory'],
		['device', 'createClaimCode'],
		['customer', 'createClaimCode'],
	])('%s > %s shows Options with Concurrency and no Item Processing', (resource, operation) => {
		expect(shownCollections({ resource, operation })).toEqual(['Options']);
		const options = description.properties.find(
			(property) => property.name === ownOptionsName(resource, operation) && property.displayOptions?.show?.resource?.includes(resource),
		);
		expect(options?.options?.map((option) => (option as { name: string }).name)).toContain('concurrency');
	});

	it('keeps Item Processing where an operation has no Options collection', () => {
		expect(shownCollections({ resource: 'device', operation: 'ping' })).toEqual(['Item Processing']);
	});

	it("keeps a saved workflow's Item Processing > Concurrency through n8n's parameter resolution", () => {
		const values = NodeHelpers.getNodeParameters(
			description.properties,
			{ resource: 'function', operation: 'call', itemProcessing: { concurrency: 4 } },
			false,
			false,
			node,
			description,
		);
		expect(values?.itemProcessing).toEqual({ concurrency: 4 });
	});

	it('Options > Concurrency keeps at most N requests in flight', async () => {
		cloud().setLatency(150);
		const devices = onlineDevices();
		const items = Array.from({ length: 8 }, (_, index) => ({ id: devices[index % devices.length].id }));
		const result = await runNode({
			parameters: { ...callLed(), options: { concurrency: 3 } },
			credentials: userToken(cloud()),
			items,
		});
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(maxInFlight(apiCalls(cloud()))).toBe(3);
	});

	it('Options > Concurrency wins over an older Item Processing > Concurrency', async () => {
		cloud().setLatency(150);
		const items = onlineDevices().slice(0, 4).map(({ id }) => ({ id }));
		await runNode({ parameters: { ...callLed(4), options: { concurrency: 2 } }, credentials: userToken(cloud()), items });
		expect(maxInFlight(apiCalls(cloud()))).toBe(2);
	});

	it('Variable > Get and Event > Publish read it too', async () => {
		cloud().setLatency(150);
		// Five items: the first goes alone, then four at once.
		const items = onlineDevices().slice(0, 5).map(({ id }) => ({ id }));
		await runNode({
			parameters: { resource: 'variable', operation: 'get', device: rl('id', '={{ $json.id }}'), variableName: 'temperature', options: { concurrency: 4 } },
			credentials: userToken(cloud()),
			items,
		});
		expect(maxInFlight(apiCalls(cloud()))).toBe(4);
		cloud().clearRequests();
		await runNode({
			parameters: { resource: 'event', operation: 'publish', eventName: '={{ "x-" + $json.id }}', itemProcessing: { concurrency: 4 } },
			credentials: userToken(cloud()),
			items,
		});
		expect(maxInFlight(apiCalls(cloud()))).toBe(4);
		// One event name: published one after the other, so subscribers get them in input order.
		cloud().clearRequests();
		await runNode({
			parameters: { resource: 'event', operation: 'publish', eventName: 'x', data: '={{ $json.id }}', itemProcessing: { concurrency: 4 } },
			credentials: userToken(cloud()),
			items,
		});
		const published = apiCalls(cloud());
		expect(maxInFlight(published)).toBe(1);
		expect(published.map((call) => (call.body as { data?: string }).data)).toEqual(items.map((item) => item.id));
	});
});
