/**
 * The end of a rate-limited request's time budget: the error says it was not sent, nothing ran on the device, and the
 * gate recovers for the next item. The budget is 5 minutes in the node; 2.5 s here (mocked), so the test runs in
 * seconds. rateLimitGate.test.ts has the gate itself and the node under a tight limit, with the real budget.
 */
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';

jest.mock('../../nodes/shared/backoff', () => ({
	...jest.requireActual<typeof import('../../nodes/shared/backoff')>('../../nodes/shared/backoff'),
	RATE_LIMIT_BUDGET_MS: 2500,
}));

const cloud = useFakeCloud({ devices: 6, seed: 3 });
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

describe('the rate-limit time budget', () => {
	it('ends the wait when the time budget is spent, with an error that says the call was not sent; the gate then recovers', async () => {
		const [refusedId, nextId] = onlineIds();
		const before = executions(refusedId);
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${refusedId}/`, status: 429, headers: { 'Retry-After': '1' }, times: 100 });
		const started = Date.now();
		const result = await runNode({
			parameters: callLed(1),
			credentials: userToken(cloud()),
			items: [{ id: refusedId }, { id: nextId }],
			continueOnFail: true,
		});
		const elapsed = Date.now() - started;

		const [refused, next] = result.items;
		expect(refused.json.error).toMatch(/^Particle is rate limiting requests from this n8n/);
		expect(refused.json.httpCode).toBe('429');
		expect(refused.json.description).toBe(
			'Waited as Particle asked and sent it 2 more times; Particle still refused it. Particle allows about 10,000 requests per 5 minutes per IP address: send fewer requests, or lower the node\'s concurrency. n8n waited for the rate limit as long as it waits for one request (2.5 s), so it was not sent again. A 429 is refused before anything runs: nothing ran on the cloud or the device, and it is safe to run again later.',
		);
		expect(next.json.return_value).toBe(1);
		const refusals = apiCalls(cloud()).filter((call) => call.path === `/v1/devices/${refusedId}/led`);
		expect(refusals.map((call) => call.status)).toEqual([429, 429, 429]);
		expect(executions(refusedId)).toBe(before);
		// Three 1 s waits would pass 2.5 s: it gave up after two, at about 2 s, not after five retries.
		expect(elapsed).toBeGreaterThanOrEqual(1900);
		expect(elapsed).toBeLessThan(6000);
	}, 20_000);

	it('a request held at the closed gate past its budget fails without ever being sent, saying so', async () => {
		const [firstId, refusedId, slowId, heldId] = onlineIds();
		expect(heldId).toBeDefined();
		// The first item goes alone (the run's warm-up) and is answered; then the two workers take the next ones.
		// The refused call asks for 2 s twice: its budget (2.5 s) ends, and the gate stays closed for the 2 s it owes.
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${refusedId}/`, status: 429, headers: { 'Retry-After': '2' }, times: 100 });
		// The second worker is busy 300 ms, so it reaches the gate after it closed: held from then, budget 2.5 s.
		cloud().injectFault({ method: 'POST', path: `/v1/devices/${slowId}/`, delayMs: 300 });
		const before = executions(heldId);
		const result = await runNode({
			parameters: callLed(2),
			credentials: userToken(cloud()),
			items: [{ id: firstId }, { id: refusedId }, { id: slowId }, { id: heldId }],
			continueOnFail: true,
		});

		const [first, refused, slow, held] = result.items;
		expect(first.json.return_value).toBe(1);
		expect(refused.json.description).toMatch(/so it was not sent again\. A 429 is refused before anything runs/);
		expect(slow.json.return_value).toBe(1);
		expect(held.json.error).toBe('Particle is rate limiting requests from this n8n');
		expect(held.json.httpCode).toBe('429');
		expect(held.json.description).toBe(
			'Particle allows about 10,000 requests per 5 minutes per IP address: send fewer requests, or lower the node\'s concurrency. This request was not sent: it waited at n8n\'s rate-limit gate, while Particle refused this run\'s other requests, as long as n8n waits for one request (2.5 s). Nothing ran on the cloud or the device, and it is safe to run again later.',
		);
		expect(apiCalls(cloud()).filter((call) => call.path.startsWith(`/v1/devices/${heldId}`))).toEqual([]);
		expect(executions(heldId)).toBe(before);
	}, 20_000);
});
