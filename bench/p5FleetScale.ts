/**
 * P5 fleet scale: the polling trigger on a 50,000-device product (5,000 with --quick), through n8n-core's poll context
 * against the fake cloud: requests per poll against the floor ceil(N / 100) + vitals reads, poll wall time, and the
 * size of the static data n8n saves (JSON.stringify length) for every combination of the four events, against what
 * the previous format (package 0.1) saved for the same fleet.
 * Run: node --expose-gc -r @swc-node/register bench/p5FleetScale.ts [--quick]
 */
import './env';

import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { Agent, request } from 'undici';

import { startFakeCloud, type FakeCloud, type RecordedRequest } from '../fake-cloud';
import { ParticleTrigger } from '../nodes/ParticleTrigger/ParticleTrigger.node';
import { detectChanges, type FleetEvent, type ObservedDevice, type ObservedVitals, type VitalsValue, type WatchOptions } from '../nodes/ParticleTrigger/fleetChanges';
import { LIST_CONCURRENCY } from '../nodes/ParticleTrigger/fleetListing';
import { DEFAULT_REQUEST_BUDGET, listRequests, requestsPerPoll } from '../nodes/ParticleTrigger/pollBudget';
import { VITALS_CONCURRENCY } from '../nodes/ParticleTrigger/vitalsReads';
import { flattenObject } from '../nodes/shared/csv';
import { apiCalls, userToken } from '../test/harness/cloud';
import { runPoll } from '../test/harness/engine';
import { PACKAGE_PREFIX, registerNodeType } from '../test/harness/nodeTypes';
import { formatNumber, median, ratioOf, report, runIfMain, timed, type BenchOptions, type Figure } from './lib';

export const METHOD = [
	'A product of N devices (50,000; 5,000 with `--quick`) on the fake cloud, its clock pinned (moved by hand), latency 0.',
	'The trigger runs as n8n\'s loader hands it over (with the Poll Times parameter), through n8n-core\'s `PollContext`,',
	'all four events watched (threshold: battery below 20). **First poll**: default Request Budget (5,000 per 5 minutes),',
	'polling every minute, so 1,000 requests a poll. **Full baseline**: Request Budget 60,000, every 5 minutes, so every',
	'device\'s vitals are read in one poll (6 in flight). **Steady poll**: 1% of the devices report new vitals first.',
	'**Quiet poll**: nothing changed. Requests are counted from the fake\'s log; the steady poll\'s requests are replayed',
	'with undici at the same concurrency (4 pages, 6 vitals reads in flight) for the fake cloud\'s own share. **Static',
	'data**: `JSON.stringify` length of the node\'s static data after a baseline of the whole fleet, for each of the 15',
	'event combinations, computed with the node\'s own `detectChanges` from the same devices and vitals (the all-four',
	'case also measured on the engine\'s static data); baseline = what package 0.1 saved (every device\'s name, state,',
	'last_heard and vitals; all vitals fields with Vitals Updated).',
].join('\n');

const EVENTS: FleetEvent[] = ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated', 'vitalsThreshold'];
const SHORT: Record<FleetEvent, string> = { deviceWentOffline: 'offline', deviceCameOnline: 'online', vitalsUpdated: 'vitals', vitalsThreshold: 'threshold' };
const THRESHOLD = { path: 'device.power.battery.charge', operator: 'below' as const, value: 20 };
const TARGET_BYTES_AT_50K = 5e6;
const MB = 1e6;
const CLOCK = Date.parse('2026-03-14T15:00:10.000Z');
const TYPE = 'particleTriggerAsLoaded';

const asLoaded = new ParticleTrigger();
asLoaded.description = { ...asLoaded.description, properties: [...commonPollingParameters, ...asLoaded.description.properties] };
registerNodeType(`${PACKAGE_PREFIX}${TYPE}`, asLoaded);

const everyMinute: INodeParameters = { item: [{ mode: 'everyMinute' }] };

function parameters(productId: number, options: INodeParameters = {}, pollTimes: INodeParameters = everyMinute): INodeParameters {
	return {
		pollTimes,
		events: EVENTS,
		deviceScope: 'product',
		product: { __rl: true, mode: 'id', value: String(productId) },
		thresholdField: THRESHOLD.path,
		thresholdOperator: THRESHOLD.operator,
		thresholdValue: THRESHOLD.value,
		options,
	};
}

/** Every non-empty subset of the four events, in a stable order. */
function combinations(): FleetEvent[][] {
	const all: FleetEvent[][] = [];
	for (let mask = 1; mask < 1 << EVENTS.length; mask++) all.push(EVENTS.filter((_, index) => mask & (1 << index)));
	return all.sort((a, b) => a.length - b.length);
}

/** The devices and vitals as the trigger sees them, read from the fake in-process. */
function fleetAsSeen(cloud: FakeCloud, productId: number): { devices: ObservedDevice[]; vitals: Map<string, ObservedVitals> } {
	const devices: ObservedDevice[] = [];
	const vitals = new Map<string, ObservedVitals>();
	for (const device of cloud.fleet.productDevices(productId)) {
		devices.push({ id: device.id, name: device.name, online: device.online, lastHeard: device.last_heard, lastHandshakeAt: device.last_handshake_at });
		const last = cloud.fleet.vitals.last(device, cloud.now());
		vitals.set(device.id, { updatedAt: last.updated_at, values: flattenObject(last.payload) as Record<string, VitalsValue> });
	}
	devices.sort((a, b) => (a.id < b.id ? -1 : 1));
	return { devices, vitals };
}

const staticDataSize = (fleet: unknown) => JSON.stringify({ 'node:Particle': { fleet } }).length;

/** What package 0.1 saved after a poll for these events: name, state, last_heard, and vitals as it kept them. */
function legacySize(events: FleetEvent[], seen: ReturnType<typeof fleetAsSeen>): number {
	const watchingVitals = events.includes('vitalsUpdated') || events.includes('vitalsThreshold');
	const threshold = events.includes('vitalsThreshold');
	const devices: IDataObject = {};
	for (const device of seen.devices) {
		const state: IDataObject = { name: device.name, online: device.online, lastHeard: device.lastHeard };
		const vitals = seen.vitals.get(device.id);
		if (watchingVitals && vitals) {
			const charge = vitals.values[THRESHOLD.path];
			state.vitalsAt = vitals.updatedAt;
			state.vitals = events.includes('vitalsUpdated') ? vitals.values : threshold ? { [THRESHOLD.path]: charge } : {};
			if (threshold && typeof charge === 'number') state.crossed = charge < THRESHOLD.value;
		}
		devices[device.id] = state;
	}
	return staticDataSize({ version: 1, devices });
}

function newSize(events: FleetEvent[], seen: ReturnType<typeof fleetAsSeen>): number {
	const options: WatchOptions = { events, threshold: events.includes('vitalsThreshold') ? THRESHOLD : undefined };
	const watchingVitals = events.includes('vitalsUpdated') || events.includes('vitalsThreshold');
	const { next } = detectChanges({ previous: undefined, devices: seen.devices, vitals: watchingVitals ? seen.vitals : new Map(), options, product: '10001', now: CLOCK });
	return staticDataSize({ ...next, s: 1 });
}

/** The poll's requests sent again with undici, as concurrent as the trigger sends them: the fake cloud's own share. */
async function replay(cloud: FakeCloud, calls: RecordedRequest[], agent: Agent): Promise<number> {
	const send = async (call: RecordedRequest) => {
		const query = new URLSearchParams();
		for (const [key, value] of Object.entries(call.query)) for (const one of [value].flat()) query.append(key, one);
		const search = query.toString();
		const response = await request(`${cloud.url}${call.path}${search ? `?${search}` : ''}`, { headers: { authorization: `Bearer ${cloud.tokens.user}` }, dispatcher: agent });
		await response.body.text();
	};
	const inFlight = async (list: RecordedRequest[], limit: number) => {
		let next = 0;
		await Promise.all(Array.from({ length: limit }, async () => {
			while (next < list.length) await send(list[next++]);
		}));
	};
	const pages = calls.filter((call) => call.query.page !== undefined);
	const vitals = calls.filter((call) => call.query.page === undefined);
	return await timed(async () => {
		await send(pages[0]);
		await inFlight(pages.slice(1), LIST_CONCURRENCY);
		await inFlight(vitals, VITALS_CONCURRENCY);
	});
}

export async function run(options: BenchOptions): Promise<Figure[]> {
	const size = options.quick ? 5_000 : 50_000;
	const figures: Figure[] = [];
	const cloud = await startFakeCloud({ devices: 1, productDevices: size, seed: 5, now: CLOCK });
	const agent = new Agent({ connections: VITALS_CONCURRENCY });
	try {
		const productId = cloud.productClient.productId;
		const credentials = userToken(cloud);
		const listFloor = listRequests(size);
		const poll = async (params: INodeParameters, staticData: IDataObject) => {
			cloud.clearRequests();
			let changes = 0;
			const wall = await timed(async () => {
				changes = (await runPoll({ type: TYPE, parameters: params, credentials, staticData }))?.[0]?.length ?? 0;
			});
			const calls = apiCalls(cloud);
			return { wall, calls, changes, vitalsReads: calls.filter((call) => call.path.includes('/diagnostics/')).length };
		};

		// First poll at the defaults: bounded by a poll's share of the Request Budget.
		const perPoll = requestsPerPoll(DEFAULT_REQUEST_BUDGET, 5);
		const first = await poll(parameters(productId), {});
		const firstFloor = listFloor + Math.min(size, perPoll - listFloor);
		report(figures, {
			group: 'P5',
			name: `${formatNumber(size)} devices, first poll at the default budget (every minute): calls`,
			value: first.calls.length,
			unit: 'calls',
			baseline: { name: `ceil(N/100) + vitals reads within the poll's share (${perPoll})`, value: firstFloor },
			ratio: ratioOf(first.calls.length, firstFloor),
			target: `<= ${perPoll} (5,000 per 5 minutes)`,
			met: first.calls.length <= perPoll,
			note: `${first.vitalsReads} vitals reads, ${size - first.vitalsReads} left for later polls (longest waiting first); ${(first.wall / 1000).toFixed(1)} s; package 0.1 read every device one after the other: ${formatNumber(listFloor + size)} calls in one poll`,
		});

		// The whole fleet's vitals in one poll, to measure reads at 6 in flight and to fill the state.
		const staticData: IDataObject = {};
		const full = await poll(parameters(productId, { requestBudget: 60_000 }, { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] }), staticData);
		report(figures, {
			group: 'P5',
			name: `${formatNumber(size)} devices, full baseline (every device's vitals): wall time`,
			value: full.wall,
			unit: 'ms',
			note: `${formatNumber(full.calls.length)} calls (floor ceil(N/100) + N = ${formatNumber(listFloor + size)}), ${formatNumber((full.calls.length / full.wall) * 1000)} requests/s overall (pages ${LIST_CONCURRENCY}, vitals reads ${VITALS_CONCURRENCY} in flight); Request Budget 60,000, every 5 minutes`,
		});
		const engineBytes = JSON.stringify(staticData).length;

		// Steady state: 1% report new vitals.
		cloud.advanceClock(1000);
		const reporting = cloud.fleet.productDevices(productId).filter((device) => device.online).slice(0, Math.ceil(size / 100));
		for (const device of reporting) cloud.setVitals(device.id, { device: { system: { uptime: 4242 } } });
		const steady = await poll(parameters(productId), staticData);
		const steadyFloor = listFloor + reporting.length;
		const fakeShare = await replay(cloud, steady.calls, agent);
		report(figures, {
			group: 'P5',
			name: `${formatNumber(size)} devices, ${reporting.length} with new vitals: calls per poll`,
			value: steady.calls.length,
			unit: 'calls',
			baseline: { name: `floor ceil(${formatNumber(size)}/100) + ${reporting.length}`, value: steadyFloor },
			ratio: ratioOf(steady.calls.length, steadyFloor),
			target: 'at the floor (1.00x)',
			met: steady.calls.length <= steadyFloor,
			note: `${steady.changes} changes reported`,
		});
		report(figures, {
			group: 'P5',
			name: `${formatNumber(size)} devices, steady poll: wall time`,
			value: steady.wall,
			unit: 'ms',
			baseline: { name: 'the same requests replayed with undici at the same concurrency (the fake cloud\'s share)', value: fakeShare },
			ratio: ratioOf(steady.wall, fakeShare),
			note: 'the fake sorts the whole fleet for every page it serves, so most of the time is the fake\'s',
		});

		// Nothing changed: the list only, and the static data is not written.
		cloud.advanceClock(1000);
		const quiet = await poll(parameters(productId), staticData);
		const written = (staticData as { __dataChanged?: boolean }).__dataChanged === true;
		report(figures, {
			group: 'P5',
			name: `${formatNumber(size)} devices, quiet poll: calls`,
			value: quiet.calls.length,
			unit: 'calls',
			baseline: { name: `floor ceil(${formatNumber(size)}/100)`, value: listFloor },
			ratio: ratioOf(quiet.calls.length, listFloor),
			target: 'at the floor, static data not written',
			met: quiet.calls.length <= listFloor && !written,
			note: `static data written: ${written ? 'yes' : 'no'}; ${(quiet.wall / 1000).toFixed(1)} s`,
		});

		// Static data per event combination.
		const seen = fleetAsSeen(cloud, productId);
		const target = (TARGET_BYTES_AT_50K * size) / 50_000;
		const sizes: number[] = [];
		for (const events of combinations()) {
			const bytes = newSize(events, seen);
			const legacy = legacySize(events, seen);
			sizes.push(bytes);
			report(figures, {
				group: 'P5',
				name: `${formatNumber(size)} devices, static data: ${events.map((event) => SHORT[event]).join(' + ')}`,
				value: bytes / MB,
				unit: 'MB',
				baseline: { name: 'package 0.1\'s format', value: legacy / MB },
				ratio: ratioOf(bytes, legacy),
				target: `<= ${formatNumber(target / MB)} MB (5 MB at 50,000)`,
				met: bytes <= target,
				note: `${(bytes / size).toFixed(1)} bytes a device`,
			});
		}
		const allFour = newSize(EVENTS, seen);
		report(figures, {
			group: 'P5',
			name: `${formatNumber(size)} devices, static data measured on the engine (all four events, after the full baseline)`,
			value: engineBytes / MB,
			unit: 'MB',
			baseline: { name: 'the same computed with detectChanges', value: allFour / MB },
			ratio: ratioOf(engineBytes, allFour),
			target: `<= ${formatNumber(target / MB)} MB`,
			met: engineBytes <= target,
			note: `largest combination: ${formatNumber(Math.max(...sizes) / MB)} MB; median ${formatNumber(median(sizes) / MB)} MB`,
		});
	} finally {
		await agent.close();
		await cloud.close();
	}
	return figures;
}

runIfMain(module, run, 1_200_000);
