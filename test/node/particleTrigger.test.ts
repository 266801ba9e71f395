/** The polling trigger through n8n-core's poll context against the fake cloud, with static data kept between polls. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runPoll } from '../harness/engine';

const cloud = useFakeCloud({ devices: 6, productDevices: 250 });

/** The names Particle gives the fake fleet's platforms (its docs' platform list). */
const PLATFORMS: Record<number, string> = { 6: 'Photon', 12: 'Argon', 13: 'Boron', 23: 'B-SoM', 26: 'Tracker', 32: 'Photon 2 / P2' };

const productId = () => cloud().productClient.productId;
const productParameters = (parameters: INodeParameters = {}): INodeParameters => ({
	deviceScope: 'product',
	product: { __rl: true, mode: 'id', value: String(productId()) },
	...parameters,
});

async function poll(parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	const output = await runPoll({ parameters, credentials: userToken(cloud()), staticData, mode });
	return output?.[0].map((item) => item.json) ?? [];
}

describe('Particle Trigger (polling)', () => {
	it('records a baseline first, then fires once per online change', async () => {
		const staticData: IDataObject = {};
		const parameters = { events: ['deviceWentOffline', 'deviceCameOnline'], deviceScope: 'sandbox' };
		expect(await poll(parameters, staticData)).toEqual([]);
		expect(staticData).toHaveProperty(['node:Particle', 'fleet', 'v'], 2);

		const [onlineDevice] = cloud().fleet.sandboxDevices().filter((device) => device.online);
		const [offlineDevice] = cloud().fleet.sandboxDevices().filter((device) => !device.online);
		cloud().setOnline(onlineDevice.id, false);
		cloud().setOnline(offlineDevice.id, true);
		const changes = await poll(parameters, staticData);
		expect(changes).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ event: 'deviceWentOffline', deviceId: onlineDevice.id, deviceName: onlineDevice.name, online: false, previouslyOnline: true }),
				expect.objectContaining({ event: 'deviceCameOnline', deviceId: offlineDevice.id, online: true, previouslyOnline: false }),
			]),
		);
		expect(changes).toHaveLength(2);
		expect(await poll(parameters, staticData)).toEqual([]);
		cloud().setOnline(onlineDevice.id, true);
		cloud().setOnline(offlineDevice.id, false);
	});

	it('reports devices already offline on the first poll when asked', async () => {
		const offline = cloud().fleet.sandboxDevices().filter((device) => !device.online);
		const changes = await poll({ events: ['deviceWentOffline'], options: { reportOnBaseline: true } }, {});
		expect(changes.map((change) => change.deviceId).sort()).toEqual(offline.map((device) => device.id).sort());
	});

	it('costs ceil(N / 100) list calls per poll for a 250-device product when only online state is watched', async () => {
		const staticData: IDataObject = {};
		await poll(productParameters({ events: ['deviceWentOffline'] }), staticData);
		cloud().clearRequests();
		await poll(productParameters({ events: ['deviceWentOffline'] }), staticData);
		const calls = apiCalls(cloud());
		expect(calls.map((call) => call.query.page)).toEqual(['1', '2', '3']);
		// "List devices in a product" names the page size `perPage`.
		expect(calls.every((call) => call.query.perPage === '100')).toBe(true);
	});

	it('reads vitals only for devices heard from since the last poll', async () => {
		const staticData: IDataObject = {};
		const parameters = { events: ['vitalsUpdated'], deviceScope: 'sandbox' };
		await poll(parameters, staticData);
		cloud().clearRequests();
		expect(await poll(parameters, staticData)).toEqual([]);
		expect(apiCalls(cloud()).map((call) => call.path)).toEqual(['/v1/devices']);
	});

	it('in manual mode returns a sample from the real fleet and leaves the saved state alone', async () => {
		const staticData: IDataObject = {};
		const items = await poll({ events: ['deviceCameOnline'], deviceScope: 'sandbox' }, staticData, 'manual');
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ event: 'deviceCameOnline', sample: true });
		expect(cloud().fleet.devices.has(String(items[0].deviceId))).toBe(true);
		expect(staticData).toEqual({});
	});

	it('fails the poll with a clear error when the first list call is refused', async () => {
		cloud().injectFault({ path: '/v1/devices', status: 401, body: { error: 'invalid_token', error_description: 'The access token provided is invalid.' }, times: 2 });
		await expect(poll({ events: ['deviceWentOffline'] }, {})).rejects.toThrow(/did not accept the access token/);
	});

	it('reports new vitals with every field as now reported', async () => {
		const staticData: IDataObject = {};
		const parameters = { events: ['vitalsUpdated'], deviceScope: 'sandbox' };
		await poll(parameters, staticData);
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		cloud().setVitals(device.id, { device: { power: { battery: { charge: 42.5 } } } });
		const changes = await poll(parameters, staticData);
		expect(changes).toEqual([
			expect.objectContaining({
				event: 'vitalsUpdated',
				deviceId: device.id,
				vitalsUpdatedAt: expect.any(String),
				vitals: expect.objectContaining({ 'device.power.battery.charge': 42.5, 'device.system.uptime': expect.any(Number) }),
			}),
		]);
		expect(await poll(parameters, staticData)).toEqual([]);
	});

	it('fires a threshold once when crossed, not again while it stays crossed', async () => {
		const staticData: IDataObject = {};
		const parameters = { events: ['vitalsThreshold'], deviceScope: 'sandbox', thresholdField: 'device.power.battery.charge', thresholdOperator: 'below', thresholdValue: 20 };
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		cloud().setVitals(device.id, { device: { power: { battery: { charge: 60 } } } });
		await poll(parameters, staticData);
		const fired: unknown[] = [];
		for (const charge of [15, 12, 50, 18]) {
			cloud().setVitals(device.id, { device: { power: { battery: { charge } } } });
			// A new last_heard each time, as a real report brings.
			await new Promise((resolve) => setTimeout(resolve, 2));
			fired.push(...(await poll(parameters, staticData)).filter((change) => change.deviceId === device.id).map((change) => (change.changes as IDataObject)['device.power.battery.charge']));
		}
		expect(fired).toEqual([
			{ previous: 60, current: 15 },
			{ previous: 50, current: 18 },
		]);
	});

	it('loses nothing when vitals reads are refused with 429 mid-poll: the device is read again next poll', async () => {
		const staticData: IDataObject = {};
		const parameters = { events: ['vitalsUpdated'], deviceScope: 'sandbox' };
		await poll(parameters, staticData);
		const [first, second] = cloud().fleet.sandboxDevices().filter((candidate) => candidate.online);
		cloud().setVitals(first.id, { device: { system: { uptime: 1 } } });
		cloud().setVitals(second.id, { device: { system: { uptime: 2 } } });
		// A 429 the trigger does not wait out (longer than n8n waits); a short one is now waited out within the poll.
		cloud().injectFault({ method: 'GET', path: `/v1/diagnostics/${first.id}/last`, status: 429, headers: { 'Retry-After': '3600' } });

		const during = await poll(parameters, staticData);
		expect(during.map((change) => change.deviceId)).toEqual([second.id]);
		const after = await poll(parameters, staticData);
		expect(after.map((change) => change.deviceId)).toEqual([first.id]);
		expect(await poll(parameters, staticData)).toEqual([]);
	});

	it('keeps state across restarts (static data saved and reloaded as JSON)', async () => {
		let saved = JSON.stringify({});
		const parameters = { events: ['deviceWentOffline', 'deviceCameOnline'], deviceScope: 'sandbox' };
		const pollAfterRestart = async () => {
			const staticData = JSON.parse(saved) as IDataObject;
			const changes = await poll(parameters, staticData);
			saved = JSON.stringify(staticData);
			return changes;
		};
		await pollAfterRestart();
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		cloud().setOnline(device.id, false);
		expect((await pollAfterRestart()).map((change) => [change.event, change.deviceId])).toEqual([['deviceWentOffline', device.id]]);
		expect(await pollAfterRestart()).toEqual([]);
		cloud().setOnline(device.id, true);
		expect((await pollAfterRestart()).map((change) => change.event)).toEqual(['deviceCameOnline']);
	});

	describe('Fetch Test Event: samples shaped as the real items of each event', () => {
		const rule = { path: 'device.power.battery.charge', operator: 'below', value: 20 };
		const parameters = {
			events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsThreshold', 'vitalsUpdated'],
			deviceScope: 'sandbox',
			thresholdField: rule.path,
			thresholdOperator: rule.operator,
			thresholdValue: rule.value,
		};
		const keys = (item: IDataObject) => Object.keys(item).filter((key) => key !== 'sample' && key !== '_sample').sort();
		const byEvent = (items: IDataObject[]) => new Map(items.map((item) => [String(item.event), item]));

		it('gives every event a sample with the key set of a real item of that event, from a real poll', async () => {
			const devices = cloud().fleet.sandboxDevices();
			const [goes, reports] = devices.filter((device) => device.online);
			const comes = devices.find((device) => !device.online)!;
			const staticData: IDataObject = {};
			cloud().setVitals(reports.id, { device: { power: { battery: { charge: 50 } } } });
			expect(await poll(parameters, staticData)).toEqual([]);
			cloud().setOnline(goes.id, false);
			cloud().setOnline(comes.id, true);
			cloud().setVitals(reports.id, { device: { power: { battery: { charge: 10 } } } });
			await new Promise((resolve) => setTimeout(resolve, 2));
			const real = byEvent(await poll(parameters, staticData));
			const samples = byEvent(await poll(parameters, {}, 'manual'));
			cloud().setOnline(goes.id, true);
			cloud().setOnline(comes.id, false);

			expect([...real.keys()].sort()).toEqual([...parameters.events].sort());
			expect([...samples.keys()].sort()).toEqual([...parameters.events].sort());
			for (const event of parameters.events) {
				const sample = samples.get(event)!;
				expect({ event, keys: keys(sample) }).toEqual({ event, keys: keys(real.get(event)!) });
				expect(sample).toMatchObject({ sample: true, _sample: expect.stringContaining('not a real change') });
				expect(cloud().fleet.devices.has(String(sample.deviceId))).toBe(true);
			}
			const threshold = samples.get('vitalsThreshold')!;
			expect(Object.keys(threshold.threshold as IDataObject).sort()).toEqual(Object.keys(real.get('vitalsThreshold')!.threshold as IDataObject).sort());
			expect(threshold.changes).toEqual({ [rule.path]: { previous: null, current: threshold.value } });
		});

		it('says what the event says: offline after online, online after offline, a value past the threshold', async () => {
			// The first device read is above the threshold, the next one past it: the sample shows the crossing one.
			const listed = (await (await fetch(`${cloud().url}/v1/devices`, { headers: { authorization: `Bearer ${cloud().tokens.user}` } })).json()) as IDataObject[];
			const [above, past] = listed.filter((device) => device.online === true).map((device) => cloud().fleet.devices.get(String(device.id))!);
			cloud().setVitals(above.id, { device: { power: { battery: { charge: 50 } } } });
			cloud().setVitals(past.id, { device: { power: { battery: { charge: 12.5 } } } });
			const samples = byEvent(await poll(parameters, {}, 'manual'));
			const offline = samples.get('deviceWentOffline')!;
			expect(offline).toMatchObject({ online: false, previouslyOnline: true });
			expect(cloud().fleet.devices.get(String(offline.deviceId))?.online).toBe(false);
			expect(samples.get('deviceCameOnline')).toMatchObject({ online: true, previouslyOnline: false });
			expect(samples.get('vitalsThreshold')).toMatchObject({
				deviceId: past.id,
				value: 12.5,
				threshold: rule,
				changes: { [rule.path]: { previous: null, current: 12.5 } },
				vitals: expect.objectContaining({ [rule.path]: 12.5 }),
			});
			const updated = samples.get('vitalsUpdated')!;
			expect(updated).toMatchObject({ online: true, vitals: expect.objectContaining({ [rule.path]: expect.any(Number) }), vitalsUpdatedAt: expect.any(String) });
			expect(cloud().fleet.devices.get(String(updated.deviceId))?.online).toBe(true);
		});
	});

	it('names each device\'s platform in its items, real and sample', async () => {
		const staticData: IDataObject = {};
		const parameters = { events: ['deviceWentOffline'], deviceScope: 'sandbox' };
		await poll(parameters, staticData);
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		cloud().setOnline(device.id, false);
		const [change] = await poll(parameters, staticData);
		const [sample] = await poll(parameters, {}, 'manual');
		cloud().setOnline(device.id, true);
		expect(change).toMatchObject({ deviceId: device.id, platformId: device.platform_id, platform: PLATFORMS[device.platform_id] });
		const sampled = cloud().fleet.devices.get(String(sample.deviceId))!;
		expect(sample).toMatchObject({ platformId: sampled.platform_id, platform: PLATFORMS[sampled.platform_id] });
	});
});
