/** The fleet kept across restarts: names, notes, online state and last_heard come back from the state file. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startFakeCloud, type FakeCloud } from '../../fake-cloud';
import { FLEET_STATE_VERSION, keepFleetState, parseFleetState, restoreFleet, snapshotFleet } from '../../fake-cloud/persist';

const SIZES = { devices: 4, products: 1, productDevices: 4, seed: 3 };
let folder: string;
beforeEach(() => {
	folder = mkdtempSync(join(tmpdir(), 'fleet-state-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

interface ListedDevice {
	id: string;
	name: string;
	online: boolean;
	last_heard: string | null;
	notes: string | null;
}

async function listDevices(cloud: FakeCloud): Promise<ListedDevice[]> {
	const response = await fetch(`${cloud.url}/v1/devices`, { headers: { authorization: `Bearer ${cloud.tokens.user}` } });
	expect(response.status).toBe(200);
	return ((await response.json()) as ListedDevice[]).sort((a, b) => a.id.localeCompare(b.id));
}

async function rename(cloud: FakeCloud, deviceId: string, name: string): Promise<void> {
	const response = await fetch(`${cloud.url}/v1/devices/${deviceId}`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${cloud.tokens.user}`, 'content-type': 'application/json' },
		body: JSON.stringify({ name, notes: 'kept across restarts' }),
	});
	expect(response.status).toBe(200);
}

it('a restarted fake continues from the file: same names, notes and online state, last_heard never earlier', async () => {
	const file = join(folder, 'fleet-state.json');
	const first = await startFakeCloud(SIZES);
	const keeper = keepFleetState(first.fleet, file);
	expect(keeper.loaded).toEqual({ from: 'seed' });
	const sandbox = first.fleet.sandboxDevices();
	const [renamed, wentOffline] = sandbox.filter((device) => device.online);
	const cameOnline = sandbox.find((device) => !device.online);
	if (!wentOffline || !cameOnline) throw new Error('the seeded sandbox has online and offline devices');
	await rename(first, renamed.id, 'kitchen-sensor');
	first.setOnline(wentOffline.id, false);
	first.setOnline(cameOnline.id, true);
	const before = await listDevices(first);
	keeper.stop();
	await first.close();

	// The same seed alone gives the seeded state back: what the file must change.
	const seeded = await startFakeCloud(SIZES);
	const fromSeed = await listDevices(seeded);
	await seeded.close();
	expect(fromSeed.find((device) => device.id === renamed.id)?.name).not.toBe('kitchen-sensor');
	expect(fromSeed.find((device) => device.id === wentOffline.id)?.online).toBe(true);
	expect(fromSeed.find((device) => device.id === cameOnline.id)?.online).toBe(false);

	const second = await startFakeCloud(SIZES);
	const again = keepFleetState(second.fleet, file);
	try {
		expect(again.loaded).toEqual({ from: 'file', restored: 8, skipped: 0 });
		const after = await listDevices(second);
		expect(after.map(({ id, name, online, notes }) => ({ id, name, online, notes }))).toEqual(
			before.map(({ id, name, online, notes }) => ({ id, name, online, notes })),
		);
		expect(after.find((device) => device.id === renamed.id)).toMatchObject({ name: 'kitchen-sensor', notes: 'kept across restarts' });
		expect(after.find((device) => device.id === wentOffline.id)?.online).toBe(false);
		expect(after.find((device) => device.id === cameOnline.id)?.online).toBe(true);
		for (const device of after) {
			const earlier = before.find((candidate) => candidate.id === device.id)?.last_heard;
			expect(Date.parse(device.last_heard ?? '')).toBeGreaterThanOrEqual(Date.parse(earlier ?? ''));
		}
	} finally {
		again.stop();
		await second.close();
	}
});

it('saves at once on an online/offline change, and on its timer for a rename', async () => {
	jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
	const file = join(folder, 'fleet-state.json');
	const cloud = await startFakeCloud(SIZES);
	const keeper = keepFleetState(cloud.fleet, file, { everyMs: 10_000 });
	try {
		const [device] = cloud.fleet.sandboxDevices();
		const saved = () => parseFleetState(readFileSync(file, 'utf8')).devices[device.id];
		expect(saved().online).toBe(device.online);
		cloud.setOnline(device.id, !device.online);
		expect(saved().online).toBe(device.online);
		device.name = 'renamed-by-a-test';
		expect(saved().name).not.toBe('renamed-by-a-test');
		jest.advanceTimersByTime(10_000);
		expect(saved().name).toBe('renamed-by-a-test');
	} finally {
		keeper.stop();
		jest.useRealTimers();
		await cloud.close();
	}
});

it('an unreadable file is kept aside and the fleet starts from its seed; devices of another fleet are skipped', async () => {
	const file = join(folder, 'fleet-state.json');
	writeFileSync(file, '{ not json');
	const cloud = await startFakeCloud(SIZES);
	try {
		const keeper = keepFleetState(cloud.fleet, file);
		keeper.stop();
		expect(keeper.loaded.from).toBe('seed');
		expect(keeper.loaded.from === 'seed' && keeper.loaded.reason).toContain('could not be read (not JSON)');
		expect(readFileSync(`${file}.unreadable`, 'utf8')).toBe('{ not json');
		expect(parseFleetState(readFileSync(file, 'utf8')).version).toBe(FLEET_STATE_VERSION);

		const state = snapshotFleet(cloud.fleet);
		state.devices['ffffffffffffffffffffffff'] = { name: 'elsewhere', notes: null, online: true, last_heard: null, last_handshake_at: null };
		expect(restoreFleet(cloud.fleet, state)).toEqual({ restored: 8, skipped: 1 });
		expect(() => parseFleetState(JSON.stringify({ version: 1, devices: { x: { name: '', online: true } } }))).toThrow('device x');
		expect(() => parseFleetState(JSON.stringify({ version: 2, devices: {} }))).toThrow('version 1');
		expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
	} finally {
		await cloud.close();
	}
});
