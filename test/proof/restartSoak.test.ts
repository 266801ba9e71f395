/**
 * The polling trigger across 100 simulated restarts: before every poll the workflow's static data is reloaded from
 * its saved JSON (as n8n does after a restart, or on another queue-mode worker) with a fresh credentials helper,
 * while the fake fleet changes between polls (seeded). The expected alerts are computed here, from the changes made,
 * without the node's code; the test asserts zero missed and zero duplicate alerts. Some polls fail on purpose (an
 * unreadable answer): what they would have reported must come on the next poll, once.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { productClient, useFakeCloud, userToken } from '../harness/cloud';
import { runPoll } from '../harness/engine';
import type { CredentialData } from '../harness/credentials';
import { pause, prng, rl } from './helpers';

const cloud = useFakeCloud({ devices: 12, productDevices: 150, seed: 7 });

const POLLS = 100;
const THRESHOLD = 20;
const BATTERY = 'device.power.battery.charge';

interface Soak {
	name: string;
	credentials: () => CredentialData;
	parameters: () => INodeParameters;
	devices: () => Array<{ id: string; online: boolean }>;
}

const soaks: Soak[] = [
	{
		name: 'sandbox, user token, 12 devices',
		credentials: () => userToken(cloud()),
		parameters: () => ({ deviceScope: 'sandbox' }),
		devices: () => cloud().fleet.sandboxDevices(),
	},
	{
		name: 'product, OAuth client, 150 devices (two pages a poll)',
		credentials: () => productClient(cloud()),
		parameters: () => ({ deviceScope: 'product', product: rl('id', String(cloud().productClient.productId)) }),
		devices: () => cloud().fleet.productDevices(cloud().productClient.productId),
	},
];

const tally = { polls: 0, alerts: 0, changes: 0, failedPolls: 0 };
afterAll(() => {
	process.stdout.write(`restart soak: ${tally.polls} polls after restarts, ${tally.changes} fleet changes, ${tally.alerts} alerts checked, ${tally.failedPolls} polls failed on purpose\n`);
});

const key = (event: string, deviceId: string) => `${event} ${deviceId}`;

interface DeviceModel {
	online: boolean;
	battery: number;
	/** Reported vitals since the last poll that worked. */
	reported: boolean;
	/** As the last poll that worked saw it. */
	seen: { online: boolean; battery: number };
}

it.each(soaks)('$name: 100 restarts, zero missed and zero duplicate alerts', async (soak) => {
	const rng = prng(0x50a4 + soak.name.length);
	const devices = soak.devices();
	const parameters: INodeParameters = {
		...soak.parameters(),
		events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated', 'vitalsThreshold'],
		thresholdField: BATTERY,
		thresholdOperator: 'below',
		thresholdValue: THRESHOLD,
	};

	// A known starting point: every device reports a battery above the threshold.
	const model = new Map<string, DeviceModel>();
	for (const device of devices) {
		cloud().setVitals(device.id, { device: { power: { battery: { charge: 50 } } } });
		model.set(device.id, { online: device.online, battery: 50, reported: false, seen: { online: device.online, battery: 50 } });
	}
	/** What a poll must report: the fleet now against the fleet at the last poll that worked (a snapshot, not a history). */
	const expectedNow = (): string[] => {
		const alerts: string[] = [];
		for (const [id, state] of model) {
			if (state.online !== state.seen.online) alerts.push(key(state.online ? 'deviceCameOnline' : 'deviceWentOffline', id));
			if (state.reported) {
				alerts.push(key('vitalsUpdated', id));
				if (state.battery < THRESHOLD && state.seen.battery >= THRESHOLD) alerts.push(key('vitalsThreshold', id));
			}
		}
		return alerts;
	};
	const seenNow = (): void => {
		for (const state of model.values()) {
			state.seen = { online: state.online, battery: state.battery };
			state.reported = false;
		}
	};

	let saved = JSON.stringify({});
	const pollAfterRestart = async (): Promise<string[]> => {
		const staticData = JSON.parse(saved) as IDataObject;
		const output = await runPoll({ parameters, credentials: soak.credentials(), staticData });
		saved = JSON.stringify(staticData);
		return (output?.[0] ?? []).map((item) => key(String(item.json.event), String(item.json.deviceId)));
	};

	expect(await pollAfterRestart()).toEqual([]); // the baseline
	const received: string[] = [];
	const expectedAll: string[] = [];

	for (let poll = 1; poll <= POLLS; poll++) {
		// 1 to 4 devices change, each at most once: a toggle of online state, or (online only) a battery report.
		const changed = new Set<string>();
		const count = 1 + Math.floor(rng() * 4);
		for (let attempt = 0; attempt < count * 3 && changed.size < count; attempt++) {
			const device = devices[Math.floor(rng() * devices.length)];
			if (changed.has(device.id)) continue;
			changed.add(device.id);
			const state = model.get(device.id)!;
			if (!state.online || rng() < 0.4) {
				cloud().setOnline(device.id, !state.online);
				state.online = !state.online;
			} else {
				const battery = Math.round(rng() * 60 * 10) / 10;
				cloud().setVitals(device.id, { device: { power: { battery: { charge: battery } } } });
				state.battery = battery;
				state.reported = true;
			}
			tally.changes++;
		}
		// A new last_heard each time, as a real report brings.
		await pause(2);

		// Every 13th poll the device list comes back unreadable: the poll fails, saving nothing.
		if (poll % 13 === 0) {
			const listPath = soak.name.startsWith('sandbox') ? '/v1/devices' : `/v1/products/${cloud().productClient.productId}/devices`;
			cloud().injectFault({ method: 'GET', path: listPath, status: 200, body: '{"devices": [', headers: { 'content-type': 'application/json' } });
			await expect(pollAfterRestart()).rejects.toThrow('The answer is not valid JSON');
			tally.failedPolls++;
			tally.polls++;
			continue;
		}

		const got = await pollAfterRestart();
		const expected = expectedNow();
		seenNow();
		tally.polls++;
		tally.alerts += got.length;
		received.push(...got);
		expectedAll.push(...expected);
		// This poll reports exactly what changed since the last poll that worked: nothing missed, nothing twice.
		expect([...got].sort()).toEqual([...expected].sort());
	}
	expect(received.length).toBe(expectedAll.length);
	expect(new Set(received.filter((alert) => !alert.startsWith('vitalsUpdated'))).size).toBeGreaterThan(10);
}, 60_000);
