/**
 * The polling trigger's cost on a 1,000-device product: the floor is ceil(N / 100) list calls plus one per device with
 * new vitals. The baseline reads every device's vitals once, within the default Request Budget (5,000 per 5 minutes,
 * so 1,000 a poll when polling every minute): two polls here.
 */
import type { IDataObject } from 'n8n-workflow';

import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { runPoll } from '../harness/engine';

const cloud = useFakeCloud({ devices: 1, productDevices: 1000 });

it('polls a 1,000-device product at the floor', async () => {
	const productId = cloud().productClient.productId;
	const parameters = {
		events: ['deviceWentOffline', 'vitalsUpdated'],
		deviceScope: 'product',
		product: { __rl: true, mode: 'id', value: String(productId) },
	};
	const staticData: IDataObject = {};
	await runPoll({ parameters, credentials: userToken(cloud()), staticData });
	expect(apiCalls(cloud())).toHaveLength(1000);
	cloud().clearRequests();
	await runPoll({ parameters, credentials: userToken(cloud()), staticData });
	expect(apiCalls(cloud()).filter((call) => call.path.includes('/diagnostics/'))).toHaveLength(1000 - 990);

	const reporting = cloud().fleet.productDevices(productId).filter((device) => device.online).slice(0, 7);
	for (const device of reporting) cloud().setVitals(device.id, { device: { system: { uptime: 42 } } });
	cloud().clearRequests();
	const output = await runPoll({ parameters, credentials: userToken(cloud()), staticData });

	const calls = apiCalls(cloud());
	const listCalls = calls.filter((call) => call.path === `/v1/products/${productId}/devices`);
	const vitalsCalls = calls.filter((call) => call.path.includes('/diagnostics/'));
	expect(listCalls).toHaveLength(10);
	expect(vitalsCalls.map((call) => call.path.split('/')[5]).sort()).toEqual(reporting.map((device) => device.id).sort());
	expect(calls).toHaveLength(10 + 7);
	expect(output?.[0].map((item) => item.json.deviceId).sort()).toEqual(reporting.map((device) => device.id).sort());
});
