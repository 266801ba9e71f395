/**
 * The polling trigger across 100 simulated restarts: before every poll the workflow's static data is reloaded from
 * its saved JSON (as n8n does after a restart, or on another queue-mode worker), while the fake fleet changes between
 * polls (seeded). The credential's store is shared across restarts, as n8n's database keeps the product token the
 * credential minted: a restart does not mint a new one (Particle allows 100 token requests per 5 minutes per IP). The expected alerts are computed here, from the changes made,
 * without the node's code; the test asserts zero missed and zero duplicate alerts. On purpose, some polls:
 * - fail (an unreadable device list): what they would have reported must come on the next poll, once;
 * - overlap (a second poll starts while a slow one runs, on the same static data, as n8n's scheduler does): the
 *   change is reported once;
 * - meet a refused vitals read (403) on a device that reported vitals and went offline: its offline alert still
 *   comes; its vitals come (once) when it is next heard from;
 * - (product) lose a device from the product: no alert, and it leaves the saved state; later it comes back as new.
 * The fake's clock is pinned and moved by hand, so no vitals record appears on its own at an hour boundary.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { apiCalls, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import { runPoll } from '../harness/engine';
import { TestCredentialsHelper, type CredentialData } from '../harness/credentials';
import { prng, rl, until } from './helpers';

const cloud = useFakeCloud({ devices: 12, productDevices: 150, seed: 7, now: Date.parse('2026-03-14T15:00:05.000Z') });

const POLLS = 100;
const THRESHOLD = 20;
const BATTERY = 'device.power.battery.charge';

interface Soak {
	name: string;
	product: boolean;
	credentials: () => CredentialData;
	parameters: () => INodeParameters;
	devices: () => Array<{ id: string; online: boolean }>;
	listPath: () => string;
}

const productPath = () => `/v1/products/${cloud().productClient.productId}/devices`;
const soaks: Soak[] = [
	{
		name: 'sandbox, user token, 12 devices',
		product: false,
		credentials: () => userToken(cloud()),
		parameters: () => ({ deviceScope: 'sandbox' }),
		devices: () => cloud().fleet.sandboxDevices(),
		listPath: () => '/v1/devices',
	},
	{
		name: 'product, OAuth client, 150 devices (two pages a poll)',
		product: true,
		credentials: () => productClient(cloud()),
		parameters: () => ({ deviceScope: 'product', product: rl('id', String(cloud().productClient.productId)) }),
		devices: () => cloud().fleet.productDevices(cloud().productClient.productId),
		listPath: productPath,
	},
];

const tally = { polls: 0, alerts: 0, changes: 0, failedPolls: 0, overlapping: 0, refusedReads: 0, removed: 0, readded: 0 };
afterAll(() => {
	process.stdout.write(
		`restart soak: ${tally.polls} polls after restarts, ${tally.changes} fleet changes, ${tally.alerts} alerts checked, ${tally.failedPolls} polls failed on purpose, ${tally.overlapping} overlapped, ${tally.refusedReads} vitals reads refused, ${tally.removed} devices removed and ${tally.readded} back\n`,
	);
});

const key = (event: string, deviceId: string) => `${event} ${deviceId}`;

async function send(method: string, path: string, body?: IDataObject): Promise<number> {
	const response = await fetch(`${cloud().url}${path}`, {
		method,
		headers: { authorization: `Bearer ${cloud().tokens.user}`, 'content-type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	await response.text();
	return response.status;
}

interface DeviceModel {
	online: boolean;
	battery: number;
	/** Reported vitals since the last poll that worked. */
	reported: boolean;
	/** Heard from since the last poll that worked. */
	heard: boolean;
	/** Reported vitals whose read was refused: read, and reported, once the device is heard from again. */
	unread: boolean;
	/** In the product (always, for the sandbox). */
	member: boolean;
	/** As the last poll that worked saw it; the battery as last read. */
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
		model.set(device.id, { online: device.online, battery: 50, reported: false, heard: false, unread: false, member: true, seen: { online: device.online, battery: 50 } });
	}
	const removed: string[] = [];
	/** What a poll must report: the fleet now against the fleet at the last poll that worked (a snapshot, not a history). */
	const expectedNow = (refused: Set<string>): string[] => {
		const alerts: string[] = [];
		for (const [id, state] of model) {
			if (!state.member) continue;
			if (state.online !== state.seen.online) alerts.push(key(state.online ? 'deviceCameOnline' : 'deviceWentOffline', id));
			if (refused.has(id)) continue;
			if (state.reported || (state.unread && state.heard)) {
				alerts.push(key('vitalsUpdated', id));
				if (state.battery < THRESHOLD && state.seen.battery >= THRESHOLD) alerts.push(key('vitalsThreshold', id));
			}
		}
		return alerts;
	};
	const seenNow = (refused: Set<string>): void => {
		for (const [id, state] of model) {
			const read = !refused.has(id) && (state.reported || (state.unread && state.heard));
			if (refused.has(id)) state.unread = true;
			else if (read) state.unread = false;
			state.seen = { online: state.online, battery: read ? state.battery : state.seen.battery };
			state.reported = false;
			state.heard = false;
		}
	};
	/** Device IDs in the saved state (`d`; `devices` in 0.1's format, so a run of 0.1 fails on the symptom, not the format). */
	const savedIds = (): string[] => {
		const fleet = ((JSON.parse(saved) as IDataObject)['node:Particle'] as IDataObject).fleet as { d?: IDataObject; devices?: IDataObject };
		return Object.keys(fleet.d ?? fleet.devices ?? {});
	};

	let saved = JSON.stringify({});
	// The credential as n8n's database holds it: the same across restarts, with the token it minted.
	const credentialsHelper = new TestCredentialsHelper();
	const exchangesBefore = tokenExchanges(cloud()).length;
	const keysOf = (output: Awaited<ReturnType<typeof runPoll>>) => (output?.[0] ?? []).map((item) => key(String(item.json.event), String(item.json.deviceId)));
	const pollAfterRestart = async (): Promise<string[]> => {
		const staticData = JSON.parse(saved) as IDataObject;
		const output = await runPoll({ parameters, credentials: soak.credentials(), staticData, credentialsHelper });
		saved = JSON.stringify(staticData);
		return keysOf(output);
	};
	/** Two polls on the same static data, the second started while the first waits for its device list. */
	const overlappingPolls = async (): Promise<string[]> => {
		const staticData = JSON.parse(saved) as IDataObject;
		const lists = () => apiCalls(cloud()).filter((call) => call.path === soak.listPath()).length;
		cloud().injectFault({ method: 'GET', path: soak.listPath(), delayMs: 150 });
		const before = lists();
		const slow = runPoll({ parameters, credentials: soak.credentials(), staticData, credentialsHelper });
		await until('the slow poll reading its list', () => lists() > before);
		const second = keysOf(await runPoll({ parameters, credentials: soak.credentials(), staticData, credentialsHelper }));
		expect(second).toEqual([]);
		const first = keysOf(await slow);
		saved = JSON.stringify(staticData);
		return [...first, ...second];
	};

	expect(await pollAfterRestart()).toEqual([]); // the baseline
	const received: string[] = [];
	const expectedAll: string[] = [];
	const pick = (changed: Set<string>, fits: (state: DeviceModel) => boolean) =>
		devices.find((device) => !changed.has(device.id) && fits(model.get(device.id)!));

	for (let poll = 1; poll <= POLLS; poll++) {
		// A new time for every change, as a real report brings.
		cloud().advanceClock(500);
		const failing = poll % 13 === 0;
		const changed = new Set<string>();
		const refused = new Set<string>();

		if (soak.product && !failing && poll % 9 === 0) {
			// A device leaves the product: no alert, and the next complete listing prunes it.
			const leaving = pick(changed, (state) => state.member)!;
			expect(await send('DELETE', `${productPath()}/${leaving.id}`)).toBe(204);
			model.get(leaving.id)!.member = false;
			removed.push(leaving.id);
			changed.add(leaving.id);
			tally.removed++;
		}
		if (soak.product && !failing && poll % 9 === 4 && removed.length > 0) {
			// It comes back: a new device to the trigger, recorded without an alert.
			const back = removed.shift()!;
			expect(await send('POST', productPath(), { id: back })).toBe(200);
			const state = model.get(back)!;
			Object.assign(state, { member: true, reported: false, heard: false, unread: false, seen: { online: state.online, battery: state.battery } });
			changed.add(back);
			tally.readded++;
		}
		if (!failing && poll % 11 === 0) {
			// A device reports vitals and goes offline; reading its vitals is refused. Another one reports too.
			const device = pick(changed, (state) => state.member && state.online)!;
			const other = devices.find((candidate) => candidate.id !== device.id && !changed.has(candidate.id) && model.get(candidate.id)!.member && model.get(candidate.id)!.online)!;
			const battery = Math.round(rng() * 60 * 10) / 10;
			cloud().setVitals(device.id, { device: { power: { battery: { charge: battery } } } });
			cloud().setOnline(device.id, false);
			cloud().injectFault({ method: 'GET', path: new RegExp(`/diagnostics/${device.id}/last$`), status: 403, body: { error: 'insufficient_scope', error_description: 'Insufficient scope' } });
			Object.assign(model.get(device.id)!, { battery, online: false });
			refused.add(device.id);
			cloud().setVitals(other.id, { device: { power: { battery: { charge: 40 } } } });
			Object.assign(model.get(other.id)!, { battery: 40, reported: true, heard: true });
			changed.add(device.id).add(other.id);
			tally.refusedReads++;
			tally.changes += 2;
		}

		// 1 to 4 devices change, each at most once: a toggle of online state, or (online only) a battery report.
		const count = 1 + Math.floor(rng() * 4);
		for (let attempt = 0, made = 0; attempt < count * 3 && made < count; attempt++) {
			const device = devices[Math.floor(rng() * devices.length)];
			const state = model.get(device.id)!;
			if (changed.has(device.id) || !state.member) continue;
			changed.add(device.id);
			made++;
			if (!state.online || rng() < 0.4) {
				cloud().setOnline(device.id, !state.online);
				state.online = !state.online;
				if (state.online) state.heard = true;
			} else {
				const battery = Math.round(rng() * 60 * 10) / 10;
				cloud().setVitals(device.id, { device: { power: { battery: { charge: battery } } } });
				Object.assign(state, { battery, reported: true, heard: true });
			}
			tally.changes++;
		}

		// Every 13th poll the device list comes back unreadable: the poll fails, saving nothing.
		if (failing) {
			cloud().injectFault({ method: 'GET', path: soak.listPath(), status: 200, body: '{"devices": [', headers: { 'content-type': 'application/json' } });
			await expect(pollAfterRestart()).rejects.toThrow('The answer is not valid JSON');
			tally.failedPolls++;
			tally.polls++;
			continue;
		}

		const overlapping = poll % 7 === 0;
		const got = overlapping ? await overlappingPolls() : await pollAfterRestart();
		if (overlapping) tally.overlapping++;
		cloud().clearFaults();
		const expected = expectedNow(refused);
		seenNow(refused);
		tally.polls++;
		tally.alerts += got.length;
		received.push(...got);
		expectedAll.push(...expected);
		// This poll reports exactly what changed since the last poll that worked: nothing missed, nothing twice.
		expect([...got].sort()).toEqual([...expected].sort());
		if (soak.product) {
			const ids = new Set(savedIds());
			for (const [id, state] of model) expect([id, ids.has(id)]).toEqual([id, state.member]);
		}
	}
	expect(received.length).toBe(expectedAll.length);
	// One product token for the whole soak (its lifetime outlasts the simulated time); a user token needs none.
	expect(tokenExchanges(cloud()).length - exchangesBefore).toBe(soak.product ? 1 : 0);
	expect(new Set(received.filter((alert) => !alert.startsWith('vitalsUpdated'))).size).toBeGreaterThan(10);
}, 90_000);
