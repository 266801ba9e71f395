/**
 * The polling trigger on a 250-device product, through n8n-core's poll context against the fake cloud: the symptoms of
 * issue #12 (never missed, never doubled), each as a test that failed before the fix.
 */
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { FakeCloud } from '../../fake-cloud';
import { apiCalls, apiUserToken, useFakeCloud, userToken } from '../harness/cloud';
import type { CredentialData } from '../harness/credentials';
import { runPoll } from '../harness/engine';
import { PACKAGE_PREFIX, registerNodeType } from '../harness/nodeTypes';
import { until } from '../harness/wait';
import { ParticleTrigger } from '../../nodes/ParticleTrigger/ParticleTrigger.node';

// The trigger as n8n's loader hands it over: with the Poll Times parameter n8n adds to every polling node.
const asLoaded = new ParticleTrigger();
asLoaded.description = { ...asLoaded.description, properties: [...commonPollingParameters, ...asLoaded.description.properties] };
registerNodeType(`${PACKAGE_PREFIX}particleTriggerAsLoaded`, asLoaded);

const cloud = useFakeCloud({ devices: 6, productDevices: 250, seed: 11 });

const productId = () => cloud().productClient.productId;
const listPath = () => `/v1/products/${productId()}/devices`;
const vitalsPath = (deviceId: string) => `/v1/products/${productId()}/diagnostics/${deviceId}/last`;
const product = (parameters: INodeParameters): INodeParameters => ({
	deviceScope: 'product',
	product: { __rl: true, mode: 'id', value: String(productId()) },
	...parameters,
});

async function poll(parameters: INodeParameters, staticData: IDataObject, credentials: CredentialData = userToken(cloud()), mode: 'trigger' | 'manual' = 'trigger') {
	const output = await runPoll({ type: 'particleTriggerAsLoaded', parameters, credentials, staticData, mode });
	return output?.[0].map((item) => item.json) ?? [];
}

const events = (items: IDataObject[]) => items.map((item) => `${String(item.event)} ${String(item.deviceId)}`).sort();
const listCalls = () => apiCalls(cloud()).filter((call) => call.path === listPath());
const vitalsCalls = () => apiCalls(cloud()).filter((call) => call.path.includes('/diagnostics/'));
const online = () => cloud().fleet.productDevices(productId()).filter((device) => device.online);
/** Device IDs in the saved state (`d` since 0.2; `devices` in 0.1's format, so the pre-fix run fails on the symptom). */
const savedDevices = (staticData: IDataObject) => {
	const fleet = (staticData['node:Particle'] as IDataObject).fleet as { d?: IDataObject; devices?: IDataObject };
	return Object.keys(fleet.d ?? fleet.devices ?? {});
};

async function request(target: FakeCloud, method: string, path: string, body?: IDataObject): Promise<number> {
	const response = await fetch(`${target.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${target.tokens.user}`, 'content-type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	await response.text();
	return response.status;
}

/** Holds the second page of the next listing until `during` ran: the fleet changes while the trigger reads it. */
async function pollWhileListing(parameters: INodeParameters, staticData: IDataObject, during: () => Promise<void> | void) {
	cloud().injectFault({ method: 'GET', path: listPath(), times: 1 });
	cloud().injectFault({ method: 'GET', path: listPath(), delayMs: 400, times: 1 });
	const before = listCalls().length;
	const polled = poll(parameters, staticData);
	await until('the second page requested', () => listCalls().length >= before + 2);
	await during();
	return await polled;
}

// Devices set offline or removed in a test come back for the next one.
const restore: Array<() => Promise<void> | void> = [];
afterEach(async () => {
	for (const undo of restore.splice(0).reverse()) await undo();
});
function setOffline(deviceId: string): void {
	cloud().setOnline(deviceId, false);
	restore.push(() => cloud().setOnline(deviceId, true));
}

describe('item 1: a vitals failure affects only the vitals events', () => {
	it.each([404, 403])('a device whose vitals read answers %d still alerts when it goes offline', async (status) => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline', 'vitalsUpdated'] });
		await poll(parameters, staticData);
		const [device, other] = online();
		// Heard from (so its vitals are read), then offline; its vitals read is refused.
		cloud().setVitals(device.id, { device: { system: { uptime: 7 } } });
		cloud().setVitals(other.id, { device: { system: { uptime: 8 } } });
		setOffline(device.id);
		cloud().injectFault({ method: 'GET', path: vitalsPath(device.id), status, times: 10 });
		expect(events(await poll(parameters, staticData))).toEqual(events([
			{ event: 'deviceWentOffline', deviceId: device.id },
			{ event: 'vitalsUpdated', deviceId: other.id },
		]));
		// Not read again until it is heard from again: a device with no vitals costs nothing each poll.
		cloud().clearRequests();
		expect(await poll(parameters, staticData)).toEqual([]);
		expect(vitalsCalls()).toHaveLength(0);
	});

	it('an API user without devices.diagnostics:get: offline alerts fire, and the refused vitals fail the quiet polls clearly', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline', 'vitalsUpdated'] });
		const credentials = apiUserToken(cloud());
		// The baseline: every vitals read refused, nothing else to report: the activation fails with the reason.
		await expect(poll(parameters, staticData, credentials)).rejects.toThrow(/vitals/i);
		const [device] = online();
		setOffline(device.id);
		// A poll with an alert emits it: the vitals problem does not hide the offline device.
		expect(events(await poll(parameters, staticData, credentials))).toEqual([`deviceWentOffline ${device.id}`]);
		// A quiet poll reports the refusal again, and probes with one read only.
		cloud().clearRequests();
		const quiet = poll(parameters, staticData, credentials);
		await expect(quiet).rejects.toThrow(/devices\.diagnostics:get/);
		expect(vitalsCalls()).toHaveLength(1);
	});
});

describe('item 2: a device heard from while the pages are read', () => {
	it('does not make another device appear on two pages and alert twice', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline'] });
		await poll(parameters, staticData);
		// Particle's default order: last connection, newest first. The last device of page 1, and an online one after it.
		const byConnection = [...cloud().fleet.productDevices(productId())].sort((a, b) => (b.last_heard ?? '').localeCompare(a.last_heard ?? ''));
		const boundary = byConnection[99];
		const late = byConnection.filter((device) => device.online).at(-1)!;
		expect(byConnection.indexOf(late)).toBeGreaterThan(100);
		setOffline(boundary.id);
		const changes = await pollWhileListing(parameters, staticData, () => cloud().setVitals(late.id, { device: { system: { uptime: 1 } } }));
		expect(events(changes)).toEqual([`deviceWentOffline ${boundary.id}`]);
		expect(listCalls().every((call) => call.query.sortAttr === 'deviceId' && call.query.sortDir === 'asc')).toBe(true);
	});

	it('a listing that changed under it judges nothing offline and prunes nothing; the next one does', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline', 'deviceCameOnline'] });
		await poll(parameters, staticData);
		const ids = cloud().fleet.productDevices(productId()).map((device) => device.id).sort();
		const removed = ids[10];
		const offline = online().find((device) => device.id > ids[120])!;
		setOffline(offline.id);
		// A device leaves the product while page 2 is on its way: that page shifts by one, the total drops.
		const during = await pollWhileListing(parameters, staticData, async () => {
			expect(await request(cloud(), 'DELETE', `${listPath()}/${removed}`)).toBe(204);
		});
		restore.push(async () => void (await request(cloud(), 'POST', listPath(), { id: removed })));
		expect(during).toEqual([]);
		expect(savedDevices(staticData)).toContain(removed);
		expect(events(await poll(parameters, staticData))).toEqual([`deviceWentOffline ${offline.id}`]);
		expect(savedDevices(staticData)).not.toContain(removed);
		expect(await poll(parameters, staticData)).toEqual([]);
	});
});

describe('item 3: polls that overlap', () => {
	it('report a change once: a poll that starts while another runs does nothing', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline'] });
		await poll(parameters, staticData);
		const [device] = online();
		setOffline(device.id);
		cloud().injectFault({ method: 'GET', path: listPath(), delayMs: 300, times: 1 });
		const before = listCalls().length;
		const slow = poll(parameters, staticData);
		await until('the slow poll started', () => listCalls().length > before);
		const second = await poll(parameters, staticData);
		const first = await slow;
		expect(events([...first, ...second])).toEqual([`deviceWentOffline ${device.id}`]);
		expect(await poll(parameters, staticData)).toEqual([]);
	});

	it('a poll overtaken after it outlasted its budget emits nothing when it ends', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline'] });
		await poll(parameters, staticData);
		const [device] = online();
		setOffline(device.id);
		cloud().injectFault({ method: 'GET', path: listPath(), delayMs: 400, times: 1 });
		const before = listCalls().length;
		const stale = poll(parameters, staticData);
		await until('the slow poll started', () => listCalls().length > before);
		// Ten minutes later for the trigger: the slow poll is past any poll budget, so the next one takes over.
		const realNow = Date.now.bind(Date);
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 10 * 60_000);
		try {
			const overtaking = await poll(parameters, staticData);
			expect(events(overtaking)).toEqual([`deviceWentOffline ${device.id}`]);
			expect(await stale).toEqual([]);
		} finally {
			clock.mockRestore();
		}
	});
});

describe('item 4: devices removed from the product', () => {
	it('leave the saved state at the next complete listing', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline'] });
		await poll(parameters, staticData);
		const removed = online()[3].id;
		expect(await request(cloud(), 'DELETE', `${listPath()}/${removed}`)).toBe(204);
		restore.push(async () => void (await request(cloud(), 'POST', listPath(), { id: removed })));
		expect(await poll(parameters, staticData)).toEqual([]);
		expect(savedDevices(staticData)).not.toContain(removed);
		expect(savedDevices(staticData)).toHaveLength(249);
	});
});

describe('item 5: static data', () => {
	it('stays under 100 characters a device (5 MB at 50,000) with every event watched', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated', 'vitalsThreshold'], thresholdValue: 30 });
		await poll(parameters, staticData);
		expect(JSON.stringify(staticData).length / 250).toBeLessThanOrEqual(100);
	});

	it('is not touched by a poll that found nothing new', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline', 'vitalsUpdated'] });
		await poll(parameters, staticData);
		await poll(parameters, staticData);
		// n8n marks static data changed on any write and then saves all of it to its database.
		expect((staticData as { __dataChanged?: boolean }).__dataChanged).toBe(false);
	});

	it('saved by the previous version keeps working: migrated on the first poll, no false alert', async () => {
		const parameters = product({ events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated', 'vitalsThreshold'], thresholdValue: 30 });
		// What version 0.1.0 saved after a poll: every device with its name, state, last_heard and vitals.
		const devices: IDataObject = {};
		for (const device of cloud().fleet.productDevices(productId())) {
			const last = cloud().fleet.vitals.last(device, cloud().now());
			const charge = (last.payload.device as { power: { battery: { charge: number } } }).power.battery.charge;
			devices[device.id] = { name: device.name, online: device.online, lastHeard: device.last_heard, vitalsAt: last.updated_at, vitals: { 'device.power.battery.charge': charge }, crossed: charge < 30 };
		}
		const staticData: IDataObject = JSON.parse(JSON.stringify({ 'node:Particle': { fleet: { version: 1, devices } } }));
		cloud().clearRequests();
		expect(await poll(parameters, staticData)).toEqual([]);
		expect(vitalsCalls()).toHaveLength(0);
		expect(((staticData['node:Particle'] as IDataObject).fleet as IDataObject).v).toBe(2);
		const [device] = online();
		setOffline(device.id);
		expect(events(await poll(parameters, staticData))).toEqual([`deviceWentOffline ${device.id}`]);
	});
});

describe('item 6: vitals reads', () => {
	it('a device that never sent vitals (404) is not read on every poll', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['deviceWentOffline', 'vitalsUpdated'] });
		cloud().injectFault({ method: 'GET', path: /\/diagnostics\/[0-9a-f]+\/last$/, status: 404, body: { ok: false, error: 'Not found' }, times: 250 });
		await poll(parameters, staticData);
		cloud().clearFaults();
		cloud().clearRequests();
		expect(await poll(parameters, staticData)).toEqual([]);
		expect(vitalsCalls()).toHaveLength(0);
	});

	it('the baseline reads vitals several at a time, at most 6', async () => {
		// Each answer takes a while, as over the internet, so reads sent together are served together.
		cloud().setLatency(20);
		restore.push(() => cloud().setLatency(0));
		await poll(product({ events: ['vitalsUpdated'] }), {});
		const inFlight = Math.max(...vitalsCalls().map((call) => call.inFlight));
		expect(inFlight).toBeGreaterThan(1);
		expect(inFlight).toBeLessThanOrEqual(6);
	});

	it('keeps to the request budget: the baseline vitals are read over several polls, without a false alert', async () => {
		const staticData: IDataObject = {};
		// 100 requests per 5 minutes, polled every minute: 20 a poll, 3 of them for the list.
		const parameters = product({ events: ['vitalsUpdated', 'vitalsThreshold'], thresholdValue: 101, options: { requestBudget: 100 }, pollTimes: { item: [{ mode: 'everyMinute' }] } });
		let polls = 0;
		do {
			cloud().clearRequests();
			expect(await poll(parameters, staticData)).toEqual([]);
			expect(apiCalls(cloud()).length).toBeLessThanOrEqual(20);
			polls++;
		} while (vitalsCalls().length > 0 && polls < 30);
		expect(polls).toBe(Math.ceil(250 / 17) + 1);
		// Every 5 minutes: 100 a poll.
		cloud().clearRequests();
		await poll({ ...parameters, pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] } }, {});
		expect(apiCalls(cloud())).toHaveLength(100);
	});

	it('with "Read Vitals at Most Every", a device that only published an event is not read; a new session is', async () => {
		const staticData: IDataObject = {};
		const parameters = product({ events: ['vitalsUpdated'], options: { vitalsRecheckMinutes: 60 } });
		await poll(parameters, staticData);
		const [publisher, rebooted] = online();
		// An event only: last_heard moves, no new session.
		cloud().fleet.requireDevice(publisher.id).last_heard = new Date(cloud().now() + 1000).toISOString();
		// A new session: vitals are always sent at session start.
		cloud().setOnline(rebooted.id, false);
		cloud().setOnline(rebooted.id, true);
		cloud().clearRequests();
		await poll(parameters, staticData);
		expect(vitalsCalls().map((call) => call.path)).toEqual([vitalsPath(rebooted.id)]);
	});
});

describe('item 7: the cost of a poll', () => {
	it('is stated in the node and warned about for short intervals', async () => {
		const { ParticleTrigger } = await import('../../nodes/ParticleTrigger/ParticleTrigger.node');
		const description = new ParticleTrigger().description;
		const notice = description.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toMatch(/ceil\(N \/ 100\)/);
		expect(notice?.displayName).toMatch(/10,000 requests per 5 minutes/);
		expect(description.hints?.some((hint) => hint.type === 'warning' && /pollTimes/.test(hint.displayCondition ?? ''))).toBe(true);
	});

	it('is said, for this fleet and these Poll Times, by Fetch Test Event, with a warning when the list alone is over the budget', async () => {
		const fetchTest = async (options: INodeParameters) =>
			(await poll(product({ events: ['deviceWentOffline'], options, pollTimes: { item: [{ mode: 'everyMinute' }] } }), {}, userToken(cloud()), 'manual'))[0]._sample;
		expect(await fetchTest({})).toMatch(/^A real device, not a real change\. A poll of 250 devices costs 3 device-list requests: 15 per 5 minutes/);
		// 10 requests per 5 minutes, every minute: 2 a poll, fewer than the list's 3.
		expect(await fetchTest({ requestBudget: 10 })).toMatch(/Warning: too many requests/);
	});
});

describe('item 8: Fetch Test Event', () => {
	it('returns real devices shaped as the change items of each selected event, marked as samples', async () => {
		const staticData: IDataObject = {};
		const items = await poll(product({ events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsThreshold', 'vitalsUpdated'], thresholdValue: 30 }), staticData, userToken(cloud()), 'manual');
		const ids = new Set(cloud().fleet.productDevices(productId()).map((device) => device.id));
		expect(items.map((item) => item.event)).toEqual(['deviceWentOffline', 'deviceCameOnline', 'vitalsThreshold', 'vitalsUpdated']);
		for (const item of items) {
			expect(ids.has(String(item.deviceId))).toBe(true);
			expect(item.sample).toBe(true);
		}
		expect(items[0]).toMatchObject({ online: false, previouslyOnline: true });
		expect(items[1]).toMatchObject({ online: true, previouslyOnline: false });
		expect(items[2]).toMatchObject({
			value: expect.any(Number),
			threshold: { path: 'device.power.battery.charge', operator: 'below', value: 30 },
			changes: { 'device.power.battery.charge': { previous: null, current: expect.any(Number) } },
		});
		expect(items[3]).toMatchObject({ vitalsUpdatedAt: expect.any(String), vitals: expect.objectContaining({ 'device.power.battery.charge': expect.any(Number) }) });
		expect(staticData).toEqual({});
	});
});
