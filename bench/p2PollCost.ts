/**
 * P2 poll cost: calls and wall time of one steady-state poll of the polling trigger (after the baseline poll) for a
 * product of N devices, against the floor ceil(N / page size) + devices with new vitals, and against a naive poll
 * (list pages + one vitals call per device, sent with undici).
 * Run: node --expose-gc -r @swc-node/register bench/p2PollCost.ts [--quick]
 */
import './env';

import type { IDataObject } from 'n8n-workflow';
import { Agent, request } from 'undici';

import { startFakeCloud, type FakeCloud, type RecordedRequest } from '../fake-cloud';
import { MAX_PAGE_SIZE } from '../nodes/shared/transport';
import { apiCalls, userToken } from '../test/harness/cloud';
import { runPoll } from '../test/harness/engine';
import { median, ratioOf, report, runIfMain, timed, type BenchOptions, type Figure } from './lib';

/** One fake page size: the fake clamps to 100, as Particle is seen to. */
const PAGE_SIZE = MAX_PAGE_SIZE;

/** 1% of the fleet reports new vitals between two polls (at least one device). */
const reportingCount = (devices: number) => Math.max(1, Math.ceil(devices / 100));

/** The trigger's own requests of one poll, sent again with undici one after the other: the fake cloud's share. */
async function replay(cloud: FakeCloud, calls: RecordedRequest[], agent: Agent): Promise<void> {
	for (const call of calls) {
		const query = new URLSearchParams();
		for (const [key, value] of Object.entries(call.query)) for (const one of [value].flat()) query.append(key, one);
		const search = query.toString();
		const response = await request(`${cloud.url}${call.path}${search ? `?${search}` : ''}`, {
			headers: { authorization: `Bearer ${cloud.tokens.user}` },
			dispatcher: agent,
		});
		await response.body.text();
		if (response.statusCode !== 200) throw new Error(`replay: ${call.path} answered ${response.statusCode}`);
	}
}

async function naivePoll(cloud: FakeCloud, productId: number, agent: Agent): Promise<number> {
	const headers = { authorization: `Bearer ${cloud.tokens.user}` };
	const get = async <T>(path: string): Promise<T> => {
		const response = await request(`${cloud.url}${path}`, { headers, dispatcher: agent });
		if (response.statusCode !== 200) throw new Error(`naive poll: ${path} answered ${response.statusCode}`);
		return (await response.body.json()) as T;
	};
	const ids: string[] = [];
	let calls = 0;
	for (let page = 1; ; page++) {
		const body = await get<{ devices: Array<{ id: string }>; meta?: { total_pages?: number } }>(
			`/v1/products/${productId}/devices?page=${page}&per_page=${PAGE_SIZE}`,
		);
		calls++;
		ids.push(...body.devices.map((device) => device.id));
		if (page >= Number(body.meta?.total_pages ?? page) || body.devices.length === 0) break;
	}
	// One after the other, as the trigger sends its vitals calls.
	for (const id of ids) {
		await get(`/v1/products/${productId}/diagnostics/${id}/last`);
		calls++;
	}
	return calls;
}

export async function run(options: BenchOptions): Promise<Figure[]> {
	const sizes = options.quick ? [10, 100, 1000] : [10, 100, 1000, 10_000];
	const runs = options.quick ? 1 : 3;
	const figures: Figure[] = [];
	for (const devices of sizes) {
		const cloud = await startFakeCloud({ devices: 1, productDevices: devices, seed: 3 });
		const agent = new Agent({ connections: 1 });
		try {
			const productId = cloud.productClient.productId;
			const parameters = {
				events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated'],
				deviceScope: 'product',
				product: { __rl: true, mode: 'id', value: String(productId) },
				// The baseline reads every device's vitals once, within the trigger's request budget; a budget above
				// the fleet lets it finish in one poll here, so the measured polls are all steady ones.
				options: { requestBudget: 100_000 },
			};
			const credentials = userToken(cloud);
			const staticData: IDataObject = {};
			// The baseline poll reads every device's vitals once; it is not the steady state and is not measured.
			await runPoll({ parameters, credentials, staticData });
			const online = cloud.fleet.productDevices(productId).filter((device) => device.online);
			const reporting = Math.min(reportingCount(devices), online.length);
			const floor = Math.ceil(devices / PAGE_SIZE) + reporting;

			const walls: number[] = [];
			const replays: number[] = [];
			const callCounts: number[] = [];
			for (let round = 0; round < runs; round++) {
				for (const device of online.slice(round * reporting, round * reporting + reporting)) {
					cloud.setVitals(device.id, { device: { system: { uptime: 1000 + round } } });
				}
				cloud.clearRequests();
				let output: Awaited<ReturnType<typeof runPoll>> = null;
				walls.push(await timed(async () => (output = await runPoll({ parameters, credentials, staticData }))));
				const sent = apiCalls(cloud);
				callCounts.push(sent.length);
				replays.push(await timed(() => replay(cloud, sent, agent)));
				const changed = (output as Awaited<ReturnType<typeof runPoll>>)?.[0]?.length ?? 0;
				if (changed < reporting) throw new Error(`poll of ${devices} devices reported ${changed} changes, expected ${reporting}`);
			}
			const naiveWalls: number[] = [];
			let naiveCalls = 0;
			for (let round = 0; round < runs; round++) {
				naiveWalls.push(await timed(async () => (naiveCalls = await naivePoll(cloud, productId, agent))));
			}

			const calls = Math.max(...callCounts);
			const wall = median(walls);
			const naiveWall = median(naiveWalls);
			report(figures, {
				group: 'P2',
				name: `${devices} devices, ${reporting} with new vitals: calls per poll`,
				value: calls,
				unit: 'calls',
				runs,
				baseline: { name: `floor ceil(${devices}/${PAGE_SIZE}) + ${reporting}`, value: floor },
				ratio: ratioOf(calls, floor),
				target: 'at the floor (1.00x)',
				met: calls <= floor,
				note: `naive poll: ${naiveCalls} calls (${ratioOf(naiveCalls, calls).toFixed(1)}x the trigger's)`,
			});
			report(figures, {
				group: 'P2',
				name: `${devices} devices: wall time per poll`,
				value: wall,
				unit: 'ms',
				runs,
				baseline: { name: 'naive poll (undici, one vitals call per device)', value: naiveWall },
				ratio: ratioOf(wall, naiveWall),
				...(devices === 10_000 ? { target: '<= 1 s at 10,000 devices', met: wall <= 1000 } : {}),
				note: `the same ${calls} requests replayed with undici (the fake cloud's own share): ${median(replays).toFixed(0)} ms, so the trigger costs ${ratioOf(wall, median(replays)).toFixed(2)}x the bare requests`,
			});
		} finally {
			await agent.close();
			await cloud.close();
		}
	}
	return figures;
}

runIfMain(module, run, 600_000);
