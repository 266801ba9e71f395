/**
 * The Event Trigger's "Device Status and Vitals" mode through n8n-core's trigger context against the fake cloud: one
 * stream of the `spark` prefix, the polling trigger's items for the same changes, thresholds once per crossing,
 * repeats ignored, state across a restart (the static data as n8n saved it, reloaded from JSON), and the published-
 * events mode left as it was.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FleetEvent } from '../../fake-cloud';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runPoll, startTrigger, type RunningTrigger } from '../harness/engine';

const cloud = useFakeCloud({ devices: 6, products: 1, productDevices: 6, seed: 12 });

const running: RunningTrigger[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map(async (trigger) => await trigger.close()));
});

async function start(parameters: INodeParameters, staticData?: IDataObject): Promise<RunningTrigger> {
	const trigger = await startTrigger({ parameters: { triggerOn: 'deviceStatus', ...parameters }, credentials: userToken(cloud()), staticData });
	running.push(trigger);
	return trigger;
}

async function poll(parameters: INodeParameters, staticData: IDataObject): Promise<IDataObject[]> {
	const output = await runPoll({ parameters, credentials: userToken(cloud()), staticData });
	return output?.[0].map((item) => item.json) ?? [];
}

/** Waits on a condition, not on a fixed sleep; fails with what it was waiting for. */
async function until(what: string, condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Lets events already sent reach the trigger, so a test can say that nothing more came. */
async function settle(): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, 100));
}

const product = () => String(cloud().productClient.productId);
const productLocator = () => ({ __rl: true, mode: 'id', value: product() });
const sandboxDevice = (online: boolean) => cloud().fleet.sandboxDevices().find((device) => device.online === online)!;
const productDevice = (online: boolean) => cloud().fleet.productDevices(product()).find((device) => device.online === online)!;
/** The names Particle gives the fake fleet's platforms (its docs' platform list), to check every item's platform fields. */
const PLATFORMS: Record<number, string> = { 6: 'Photon', 12: 'Argon', 13: 'Boron', 23: 'B-SoM', 26: 'Tracker', 32: 'Photon 2 / P2' };
const platformOf = (device: { platform_id: number }) => ({ platformId: device.platform_id, platform: PLATFORMS[device.platform_id] });
const battery = (charge: number) => ({ device: { power: { battery: { charge } } } });
const events = (trigger: RunningTrigger) => trigger.emitted.map((item) => `${String(item.event)} ${String(item.deviceId)}`);

/** An event as Particle would send it again (it may deliver one twice), straight onto the fake's streams. */
function deliver(event: Partial<FleetEvent> & { coreid: string; name: string; data: string }): void {
	cloud().fleet.events.emit('event', { ttl: 60, published_at: new Date(cloud().now()).toISOString(), ...event });
}

describe('Particle Event Trigger: Device Status and Vitals', () => {
	it('opens one stream of the spark prefix, reads the devices once, and emits what the polling trigger emits for the same changes', async () => {
		const parameters = { events: ['deviceWentOffline', 'deviceCameOnline'] };
		const pollState: IDataObject = {};
		expect(await poll({ ...parameters, deviceScope: 'sandbox' }, pollState)).toEqual([]);
		const trigger = await start({ scope: 'mine', ...parameters });
		expect(apiCalls(cloud()).slice(1).map((call) => `${call.method} ${call.path}`)).toEqual(['GET /v1/devices/events/spark', 'GET /v1/devices']);
		expect(apiCalls(cloud())[1].authorization).toBe(`Bearer ${cloud().tokens.user}`);

		const [goes, comes] = [sandboxDevice(true), sandboxDevice(false)];
		cloud().setOnline(goes.id, false);
		cloud().setOnline(comes.id, true);
		await until('two items', () => trigger.emitted.length === 2);
		const polled = await poll({ ...parameters, deviceScope: 'sandbox' }, pollState);

		expect(trigger.emitted).toEqual([
			{ event: 'deviceWentOffline', deviceId: goes.id, deviceName: goes.name, product: null, online: false, previouslyOnline: true, lastHeard: goes.last_heard, ...platformOf(goes) },
			{ event: 'deviceCameOnline', deviceId: comes.id, deviceName: comes.name, product: null, online: true, previouslyOnline: false, lastHeard: comes.last_heard, ...platformOf(comes) },
		]);
		expect(polled).toHaveLength(2);
		expect(trigger.emitted).toEqual(expect.arrayContaining(polled));
		cloud().setOnline(goes.id, true);
		cloud().setOnline(comes.id, false);
	});

	it('Vitals Updated and Vitals Crossed a Threshold: the same items as the polling trigger, from one event each', async () => {
		const parameters = { events: ['vitalsUpdated', 'vitalsThreshold'], thresholdField: 'device.power.battery.charge', thresholdOperator: 'below', thresholdValue: 20 };
		const pollParameters = { ...parameters, deviceScope: 'product', product: productLocator() };
		const pollState: IDataObject = {};
		await poll(pollParameters, pollState);
		const trigger = await start({ scope: 'product', product: productLocator(), ...parameters });
		expect(apiCalls(cloud()).map((call) => call.path)).toContain(`/v1/products/${product()}/events/spark`);
		const device = productDevice(true);

		cloud().setVitals(device.id, battery(50));
		await until('vitals updated', () => trigger.emitted.length === 1);
		expect(await poll(pollParameters, pollState)).toEqual(trigger.emitted);

		cloud().setVitals(device.id, battery(10));
		await until('vitals updated and the crossing', () => trigger.emitted.length === 3);
		const polled = await poll(pollParameters, pollState);
		expect(trigger.emitted.slice(1)).toEqual(polled);
		expect(trigger.emitted[2]).toMatchObject({
			event: 'vitalsThreshold',
			deviceId: device.id,
			deviceName: device.name,
			product: product(),
			online: true,
			previouslyOnline: true,
			value: 10,
			threshold: { path: 'device.power.battery.charge', operator: 'below', value: 20 },
			changes: { 'device.power.battery.charge': { previous: 50, current: 10 } },
			vitals: expect.objectContaining({ 'device.power.battery.charge': 10, 'device.system.memory.total': 113_664 }),
		});
	});

	it('fires a threshold once per crossing, not on every report while the value stays there, nor on a first reading', async () => {
		const trigger = await start({ scope: 'product', product: productLocator(), events: ['vitalsThreshold'], thresholdOperator: 'below', thresholdValue: 20 });
		const device = productDevice(true);
		const other = cloud().fleet.productDevices(product()).filter((candidate) => candidate.online)[1];
		cloud().setVitals(other.id, battery(5));
		for (const charge of [30, 10, 5, 15, 25, 40, 12, 3]) cloud().setVitals(device.id, battery(charge));
		await until('two crossings', () => trigger.emitted.length === 2);
		await settle();
		expect(trigger.emitted.map((item) => [item.deviceId, item.value, (item.changes as IDataObject)['device.power.battery.charge']])).toEqual([
			[device.id, 10, { previous: 30, current: 10 }],
			[device.id, 12, { previous: 40, current: 12 }],
		]);
	});

	it('ignores repeats (offline when already offline) and other status data; reports the offline Particle sends just before the next online', async () => {
		const trigger = await start({ scope: 'mine', events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated'] });
		const [device, offlineAtStart] = [sandboxDevice(true), sandboxDevice(false)];
		cloud().setOnline(device.id, false);
		deliver({ name: 'spark/status', data: 'offline', coreid: device.id });
		deliver({ name: 'spark/status', data: 'offline', coreid: offlineAtStart.id });
		deliver({ name: 'spark/status', data: 'auto-update', coreid: offlineAtStart.id });
		// Offline in the cloud: the new session is just an online.
		cloud().restartSession(device.id);
		// Online in the cloud, which missed the end of the session: offline and online at once.
		cloud().restartSession(device.id);
		cloud().setVitals(device.id, battery(70));
		await until('five items', () => trigger.emitted.length === 5);
		await settle();
		expect(events(trigger)).toEqual([
			`deviceWentOffline ${device.id}`,
			`deviceCameOnline ${device.id}`,
			`deviceWentOffline ${device.id}`,
			`deviceCameOnline ${device.id}`,
			`vitalsUpdated ${device.id}`,
		]);
	});

	it('keeps its state across a restart: the static data n8n saved, reloaded from JSON, compact', async () => {
		const parameters = { scope: 'product', product: productLocator(), events: ['deviceWentOffline', 'vitalsThreshold'], thresholdValue: 20 };
		const [device, goes] = cloud().fleet.productDevices(product()).filter((candidate) => candidate.online);
		const first = await start(parameters, {});
		cloud().setVitals(device.id, battery(45));
		// Nothing to emit for a first reading: n8n saves that with the next item.
		cloud().setOnline(goes.id, false);
		await until('the offline', () => first.emitted.length === 1);
		await first.close();
		const saved = JSON.parse(JSON.stringify(first.savedStaticData())) as { 'node:Particle': { status: { d: Record<string, unknown> } } };
		const entries = Object.entries(saved['node:Particle'].status.d);
		expect(entries).toHaveLength(cloud().fleet.productDevices(product()).length);
		for (const [id, entry] of entries) expect(JSON.stringify({ [id]: entry }).length).toBeLessThan(100);

		const second = await start(parameters, saved);
		cloud().setVitals(device.id, battery(15));
		await until('the crossing', () => second.emitted.length === 1);
		expect(second.emitted).toEqual([expect.objectContaining({ event: 'vitalsThreshold', deviceId: device.id, changes: { 'device.power.battery.charge': { previous: 45, current: 15 } } })]);
		await second.close();

		// Offline while the workflow was off: the device list read at activation says so, so the next online is a change.
		cloud().setOnline(device.id, false);
		const third = await start({ ...parameters, events: ['deviceCameOnline'] }, JSON.parse(JSON.stringify(second.savedStaticData())) as IDataObject);
		cloud().setOnline(device.id, true);
		cloud().setOnline(goes.id, true);
		await until('two onlines', () => third.emitted.length === 2);
		expect(third.emitted).toEqual([
			expect.objectContaining({ event: 'deviceCameOnline', deviceId: device.id, previouslyOnline: false }),
			expect.objectContaining({ event: 'deviceCameOnline', deviceId: goes.id, previouslyOnline: false }),
		]);
	});

	it('names no device on an organization stream (no device list there), and takes the product from the event', async () => {
		const trigger = await start({ scope: 'organization', organization: cloud().fleet.organizations[0].slug, events: ['deviceWentOffline'] });
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([`/v1/orgs/${cloud().fleet.organizations[0].slug}/events/spark`]);
		const device = productDevice(true);
		cloud().setOnline(device.id, false);
		await until('the offline', () => trigger.emitted.length === 1);
		expect(trigger.emitted[0]).toEqual({
			event: 'deviceWentOffline',
			deviceId: device.id,
			deviceName: null,
			product: product(),
			online: false,
			previouslyOnline: null,
			lastHeard: null,
			platformId: null,
			platform: null,
		});
		cloud().setOnline(device.id, true);
	});

	it('uses the one-device routes and still works when the device list is refused', async () => {
		const device = sandboxDevice(true);
		cloud().injectFault({ method: 'GET', path: new RegExp(`^/v1/devices/${device.id}$`), status: 403, body: { error: 'forbidden' }, times: 1 });
		const trigger = await start({ scope: 'device', deviceId: device.id.toUpperCase(), events: ['deviceWentOffline'] });
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual([`/v1/devices/${device.id}/events/spark`, `/v1/devices/${device.id}`]);
		cloud().setOnline(device.id, false);
		await until('the offline', () => trigger.emitted.length === 1);
		expect(trigger.emitted[0]).toMatchObject({ event: 'deviceWentOffline', deviceId: device.id, deviceName: null, previouslyOnline: null });
		cloud().setOnline(device.id, true);

		await start({ scope: 'productDevice', product: productLocator(), deviceId: productDevice(true).id, events: ['deviceWentOffline'] });
		expect(apiCalls(cloud()).slice(-2).map((call) => call.path)).toEqual([
			`/v1/products/${product()}/devices/${productDevice(true).id}/events/spark`,
			`/v1/products/${product()}/devices/${productDevice(true).id}`,
		]);
	});

	it('leaves Published Events as it was: its route, no device list, system events only on request', async () => {
		const status = await start({ scope: 'mine', events: ['deviceWentOffline'] });
		const published = await startTrigger({ parameters: { scope: 'mine' }, credentials: userToken(cloud()) });
		const withSystem = await startTrigger({ parameters: { scope: 'mine', options: { includeSystemEvents: true } }, credentials: userToken(cloud()) });
		running.push(published, withSystem);
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual(['/v1/devices/events/spark', '/v1/devices', '/v1/devices/events', '/v1/devices/events']);
		const device = sandboxDevice(true);
		cloud().setOnline(device.id, false);
		cloud().fleet.publish({ name: 'reading', data: '21', ttl: 60, private: true, published_at: new Date().toISOString(), coreid: device.id });
		await until('every trigger', () => status.emitted.length === 1 && published.emitted.length === 1 && withSystem.emitted.length === 2);
		expect(published.emitted.map((item) => item.name)).toEqual(['reading']);
		expect(withSystem.emitted.map((item) => [item.name, item.data])).toEqual([
			['spark/status', 'offline'],
			['reading', 21],
		]);
		expect(status.emitted.map((item) => item.event)).toEqual(['deviceWentOffline']);
		cloud().setOnline(device.id, true);
	});

	it.each([
		['an unknown event', { events: ['deviceRebooted'] }, /^Events must be one of /],
		['a threshold that is text', { events: ['vitalsThreshold'], thresholdValue: '={{ "low" }}' }, /^Threshold must be a number/],
		['an empty custom path', { events: ['vitalsThreshold'], thresholdField: 'custom', thresholdPath: '' }, /^Vitals Path /],
	])('refuses %s during activation, naming the field, before opening anything', async (_name, parameters, message) => {
		await expect(startTrigger({ parameters: { triggerOn: 'deviceStatus', scope: 'mine', ...parameters }, credentials: userToken(cloud()) })).rejects.toThrow(message);
		expect(apiCalls(cloud())).toEqual([]);
	});
});
