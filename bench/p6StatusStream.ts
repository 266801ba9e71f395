/**
 * P6 status stream: the Event Trigger's "Device Status and Vitals" mode, from the fake cloud's state change (a device
 * goes offline or comes online, a device sends vitals) to the emitted item, p50 and p99 over 1,000 changes, against a
 * raw undici reader of the same stream (the least any client pays: the fake writing, the socket, splitting lines).
 * Run: node --expose-gc -r @swc-node/register bench/p6StatusStream.ts [--quick]
 */
import './env';

import { startFakeCloud, type FakeCloud } from '../fake-cloud';
import { TestCredentialsHelper } from '../test/harness/credentials';
import { CREDENTIAL_ID } from '../test/harness/engine';
import { startBenchTrigger } from './engine';
import { rawSseReader } from './rawSse';
import { nowMs, percentile, ratioOf, report, runIfMain, sleepMs, waitFor, type BenchOptions, type Figure } from './lib';

function credentialsFor(cloud: FakeCloud): TestCredentialsHelper {
	const helper = new TestCredentialsHelper();
	helper.store.set(CREDENTIAL_ID, { authMode: 'accessToken', accessToken: cloud.tokens.user, baseUrl: cloud.url, sessionToken: '' });
	return helper;
}

/** Arrival times of each `data:` line on a raw reader of the stream, in order. */
async function rawReader(cloud: FakeCloud, path: string): Promise<{ arrivals: number[]; stop(): Promise<void> }> {
	const arrivals: number[] = [];
	const reader = await rawSseReader(cloud, path, (_data, at) => arrivals.push(at));
	return { arrivals, stop: reader.stop };
}

interface Series {
	name: string;
	events: string[];
	/** Makes change number `index`; each makes exactly one system event on the stream. */
	change(index: number): void;
}

export async function run(options: BenchOptions): Promise<Figure[]> {
	const figures: Figure[] = [];
	const changes = options.quick ? 200 : 1000;
	const fleetSize = options.quick ? 100 : 1000;
	const cloud = await startFakeCloud({ devices: 2, products: 1, productDevices: fleetSize, seed: 6 });
	const credentialsHelper = credentialsFor(cloud);
	const product = String(cloud.productClient.productId);
	const path = `/v1/products/${product}/events/spark`;
	const devices = cloud.fleet.productDevices(product).filter((device) => device.online);
	try {
		const series: Series[] = [
			{
				name: 'Went Offline / Came Online',
				events: ['deviceWentOffline', 'deviceCameOnline'],
				// Each device goes offline, then comes back: every change is a change of state and emits one item.
				change: (index) => {
					const device = devices[Math.floor(index / 2) % devices.length];
					cloud.setOnline(device.id, index % 2 === 1);
				},
			},
			{
				name: 'Vitals Updated + Vitals Crossed a Threshold',
				events: ['vitalsUpdated', 'vitalsThreshold'],
				// Battery 50, 10, 50, 10...: every report emits Vitals Updated, every crossing below 20 a threshold item too.
				change: (index) => cloud.setVitals(devices[index % devices.length].id, { device: { power: { battery: { charge: Math.floor(index / devices.length) % 2 === 0 ? 50 : 10 } } } }),
			},
		];
		for (const { name, events, change } of series) {
			// The raw reader subscribes first, so the fake writes each event to it first: any bias is against the trigger.
			const raw = await rawReader(cloud, path);
			await waitFor(() => cloud.openStreams() === 1, 5000, 'raw stream open');
			const emittedAt: number[] = [];
			let items = 0;
			const trigger = await startBenchTrigger({
				parameters: { triggerOn: 'deviceStatus', scope: 'product', product: { __rl: true, mode: 'id', value: product }, events, thresholdValue: 20 },
				credentialsHelper,
				onEmit: (emitted) => {
					emittedAt.push(nowMs());
					items += emitted.length;
				},
			});
			await waitFor(() => cloud.openStreams() === 2, 5000, 'both streams open');
			const changedAt: number[] = [];
			for (let index = 0; index < changes; index++) {
				changedAt.push(nowMs());
				change(index);
				// Spaced out, so each figure is one change's path and not a queue.
				await sleepMs(3);
			}
			await waitFor(() => emittedAt.length >= changes && raw.arrivals.length >= changes, 20_000, `${name}: every change emitted`);
			await raw.stop();
			await trigger.closeFunction?.();
			await waitFor(() => cloud.openStreams() === 0, 5000, 'streams closed');
			if (emittedAt.length !== changes) throw new Error(`${name}: ${emittedAt.length} emits for ${changes} changes`);
			const latencies = changedAt.map((at, index) => emittedAt[index] - at);
			const rawLatencies = changedAt.map((at, index) => raw.arrivals[index] - at);
			for (const p of [50, 99]) {
				const ours = percentile(latencies, p);
				const base = percentile(rawLatencies, p);
				report(figures, {
					group: 'P6',
					name: `${name}: state change -> emitted item, p${p} (${changes} changes, ${fleetSize}-device product, 3 ms apart)`,
					value: ours,
					unit: 'ms',
					baseline: { name: `raw undici reader of the same stream p${p}`, value: base },
					ratio: ratioOf(ours, base),
					...(p === 50 ? { note: `${items} items in ${emittedAt.length} emits; fake cloud and trigger on the same 2 cores` } : {}),
				});
			}
		}
	} finally {
		await cloud.close();
	}
	return figures;
}

runIfMain(module, run, 300_000);
