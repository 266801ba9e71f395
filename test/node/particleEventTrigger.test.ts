/**
 * The real-time trigger on Particle's event stream, through n8n-core's trigger context, against the fake cloud's SSE
 * routes: filters, drops, silence, refused reopens, and close.
 */
import type { INodeParameters } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { startTrigger, type RunningTrigger } from '../harness/engine';
import { until } from '../harness/wait';

const cloud = useFakeCloud({ devices: 3, productDevices: 3 });

const running: RunningTrigger[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map(async (trigger) => await trigger.close()));
});

async function start(parameters: INodeParameters) {
	const trigger = await startTrigger({ parameters, credentials: userToken(cloud()) });
	running.push(trigger);
	return trigger;
}


function publish(name: string, data: string, extra: Record<string, unknown> = {}) {
	cloud().fleet.publish({
		name,
		data,
		ttl: 60,
		private: true,
		published_at: new Date().toISOString(),
		coreid: cloud().fleet.sandboxDevices()[0].id,
		userid: cloud().fleet.user.id,
		...extra,
	});
}

const streamOpens = (path: string) => apiCalls(cloud()).filter((call) => call.path === path).length;

describe('Particle Event Trigger', () => {
	it('opens one stream with the Bearer header and the prefix, and emits each event once', async () => {
		const trigger = await start({ scope: 'mine', eventName: 'temp' });
		const [call] = apiCalls(cloud());
		expect(call).toMatchObject({ method: 'GET', path: '/v1/devices/events/temp', authorization: `Bearer ${cloud().tokens.user}` });
		expect(call.query).toEqual({});

		publish('temp', '{"c":21.5}');
		publish('temperature', '22');
		publish('humidity', '40');
		await until('two events', () => trigger.emitted.length >= 2);
		expect(trigger.emitted).toEqual([
			expect.objectContaining({ name: 'temp', data: { c: 21.5 }, coreid: cloud().fleet.sandboxDevices()[0].id, published_at: expect.any(String), ttl: 60 }),
			expect.objectContaining({ name: 'temperature', data: 22 }),
		]);
	});

	it('keeps only the exact name when asked, and data as text when JSON parsing is off', async () => {
		const trigger = await start({ scope: 'mine', eventName: 'temp', options: { exactName: true, parseJson: false } });
		publish('temperature', '22');
		publish('temp', '{"c":1}');
		await until('the exact event', () => trigger.emitted.length >= 1);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(trigger.emitted).toEqual([expect.objectContaining({ name: 'temp', data: '{"c":1}' })]);
	});

	it('leaves out spark/ system events unless asked', async () => {
		const quiet = await start({ scope: 'mine' });
		const all = await start({ scope: 'mine', options: { includeSystemEvents: true } });
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		cloud().setOnline(device.id, false);
		publish('after', 'x');
		await until('the user event on both', () => quiet.emitted.length >= 1 && all.emitted.some((event) => event.name === 'after'));
		expect(quiet.emitted.map((event) => event.name)).toEqual(['after']);
		expect(all.emitted.map((event) => event.name)).toContain('spark/status');
		cloud().setOnline(device.id, true);
	});

	it('uses the product, device and organization routes', async () => {
		const product = String(cloud().productClient.productId);
		const device = cloud().fleet.productDevices(Number(product))[0].id;
		await start({ scope: 'product', product: { __rl: true, mode: 'id', value: product }, eventName: 'spark/status' });
		await start({ scope: 'productDevice', product: { __rl: true, mode: 'id', value: product }, deviceId: device });
		await start({ scope: 'device', deviceId: cloud().fleet.sandboxDevices()[0].id });
		await start({ scope: 'organization', organization: cloud().fleet.organizations[0].slug });
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([
			`/v1/products/${product}/events/spark%2Fstatus`,
			`/v1/products/${product}/devices/${device}/events`,
			`/v1/devices/${cloud().fleet.sandboxDevices()[0].id}/events`,
			`/v1/orgs/${cloud().fleet.organizations[0].slug}/events`,
		]);
	});

	it('fails activation clearly on a permanent error', async () => {
		await expect(startTrigger({ parameters: { scope: 'mine' }, credentials: { ...userToken(cloud()), accessToken: 'bad' } })).rejects.toThrow(
			/did not accept the access token/,
		);
		await expect(
			startTrigger({ parameters: { scope: 'product', product: { __rl: true, mode: 'id', value: '999999' } }, credentials: userToken(cloud()) }),
		).rejects.toThrow(/could not find|not allowed/);
	});

	it('reconnects after a dropped stream: one reader, no duplicate, nothing lost while connected', async () => {
		const trigger = await start({ scope: 'mine', eventName: 'seq' });
		for (let index = 0; index < 5; index++) publish('seq', String(index));
		await until('first five', () => trigger.emitted.length === 5);

		cloud().dropStreams();
		await until('a second stream', () => streamOpens('/v1/devices/events/seq') === 2 && cloud().openStreams() === 1, 5000);
		for (let index = 5; index < 10; index++) publish('seq', String(index));
		await until('all ten', () => trigger.emitted.length >= 10);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(trigger.emitted.map((event) => event.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		expect(cloud().openStreams()).toBe(1);
	});

	it('reopens a silent stream after the silence timeout', async () => {
		const trigger = await start({ scope: 'mine', eventName: 'alive', options: { silenceTimeout: 15 } });
		cloud().silenceStreams(true);
		await until('a reopened stream', () => streamOpens('/v1/devices/events/alive') >= 2, 25_000);
		cloud().silenceStreams(false);
		await until('one open stream', () => cloud().openStreams() === 1);
		publish('alive', '1');
		await until('the event after reopening', () => trigger.emitted.length === 1);
	}, 40_000);

	it('keeps trying when a reopen is refused with 529, without failing the workflow', async () => {
		const trigger = await start({ scope: 'mine', eventName: 'retry' });
		cloud().injectFault({ method: 'GET', path: '/v1/devices/events', status: 529, times: 2 });
		cloud().dropStreams();
		await until('a working stream again', () => cloud().openStreams() === 1 && streamOpens('/v1/devices/events/retry') >= 4, 10_000);
		expect(trigger.errors).toEqual([]);
		publish('retry', 'ok');
		await until('the event', () => trigger.emitted.length === 1);
	});

	it('ends the stream at once when the workflow is closed', async () => {
		const trigger = await start({ scope: 'mine' });
		expect(cloud().openStreams()).toBe(1);
		await trigger.close();
		await until('no open stream', () => cloud().openStreams() === 0, 2000);
		publish('late', 'x');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(trigger.emitted).toEqual([]);
	});

	it.each([
		['text', '={{ "soon" }}'],
		['NaN', '={{ NaN }}'],
		['an object', '={{ { s: 20 } }}'],
		['below the keep-alive gap', 5],
		['above the maximum', 301],
	])('refuses a Reopen When Silent For of %s, naming the field, before opening anything (it used to switch the watchdog off)', async (_name, silenceTimeout) => {
		await expect(startTrigger({ parameters: { scope: 'mine', options: { silenceTimeout } }, credentials: userToken(cloud()) })).rejects.toThrow(
			/^Reopen When Silent For must be a number of seconds from 15 to 300, not /,
		);
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('takes an event name that an expression made a number, and refuses one that is an object', async () => {
		await start({ scope: 'mine', eventName: '={{ 42 }}' });
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual(['/v1/devices/events/42']);
		await expect(startTrigger({ parameters: { scope: 'mine', eventName: '={{ ["a"] }}' }, credentials: userToken(cloud()) })).rejects.toThrow(
			/^Event Name must be text, not \["a"\]/,
		);
	});
});
