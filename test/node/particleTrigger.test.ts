/** The polling trigger through n8n-core's poll context against the fake cloud, with static data kept between polls. */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runPoll } from '../harness/engine';

const cloud = useFakeCloud({ devices: 6, productDevices: 250 });

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
		expect(staticData).toHaveProperty(['node:Particle', 'fleet', 'version'], 1);

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
		expect(calls.every((call) => call.query.per_page === '100')).toBe(true);
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
});
