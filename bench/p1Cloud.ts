/**
 * The fake cloud for P1, in a process of its own, so the CPU time P1 measures (process CPU / calls) is the node's and
 * n8n's, not the fake's. Sandbox devices with the device-call latency model (fake-cloud/latency.ts) on them; commands
 * over the IPC channel (reset, rate limit, latency on/off, stats), answered by id. Ends when the parent disconnects.
 * Started by bench/p1Throughput.ts with child_process.fork (IPC).
 */
import { startFakeCloud, type RateLimitOptions } from '../fake-cloud';
import { applyDeviceLatency, type DeviceLatencyOptions } from '../fake-cloud/latency';

export interface P1CloudSpec {
	devices: number;
	seed: number;
	latency: DeviceLatencyOptions;
}

export interface P1CloudReady {
	url: string;
	token: string;
	/** Every sandbox device, in the fleet's order. */
	ids: string[];
	offline: string[];
	slow: string[];
}

export type P1CloudCommand =
	| { id: number; cmd: 'reset' }
	| { id: number; cmd: 'rateLimit'; limit: RateLimitOptions | null }
	| { id: number; cmd: 'latency'; on: boolean }
	| { id: number; cmd: 'stats' };

/** What reached the cloud since the last reset. */
export interface P1CloudStats {
	/** Function calls (POST .../:function) by status; 0 = the connection ended without an answer. */
	posts: Record<string, number>;
	/** Every other request (the Particle node reads an offline device once after its call failed). */
	others: number;
	/** Function calls the devices ran (a 429 runs nothing). */
	executions: number;
	/** Devices that ran a call more than once: each item has its own device, so each is a call sent twice. */
	ranTwice: number;
	/** Most function calls the cloud was serving at once. */
	maxInFlight: number;
}

async function main(): Promise<void> {
	const spec = JSON.parse(process.argv[2] ?? '{}') as P1CloudSpec;
	const cloud = await startFakeCloud({ devices: spec.devices, products: 1, productDevices: 1, seed: spec.seed });
	const devices = cloud.fleet.sandboxDevices();
	const latency = applyDeviceLatency(cloud.fleet, spec.latency, devices);
	const executedBefore = new Map<string, number>();
	const reset = () => {
		cloud.clearRequests();
		cloud.setRateLimit(null);
		latency.reset();
		for (const device of devices) executedBefore.set(device.id, device.calls.length);
	};
	reset();
	const stats = (): P1CloudStats => {
		const posts: Record<string, number> = {};
		let others = 0;
		let maxInFlight = 0;
		for (const request of cloud.requests) {
			if (request.method !== 'POST') {
				others++;
				continue;
			}
			posts[String(request.status)] = (posts[String(request.status)] ?? 0) + 1;
			maxInFlight = Math.max(maxInFlight, request.inFlight);
		}
		let executions = 0;
		let ranTwice = 0;
		for (const device of devices) {
			const ran = device.calls.length - (executedBefore.get(device.id) ?? 0);
			executions += ran;
			if (ran > 1) ranTwice++;
		}
		return { posts, others, executions, ranTwice, maxInFlight };
	};

	process.on('message', (message: P1CloudCommand) => {
		let result: unknown = null;
		if (message.cmd === 'reset') reset();
		else if (message.cmd === 'rateLimit') cloud.setRateLimit(message.limit);
		else if (message.cmd === 'latency') cloud.fleet.deviceLatency = message.on ? latency : null;
		else if (message.cmd === 'stats') result = stats();
		process.send?.({ id: message.id, result });
	});
	process.on('disconnect', () => {
		void cloud.close().then(() => process.exit(0));
	});
	const ready: P1CloudReady = {
		url: cloud.url,
		token: cloud.tokens.user,
		ids: devices.map((device) => device.id),
		offline: devices.filter((device) => !device.online).map((device) => device.id),
		slow: devices.filter((device) => device.slowDelayMs !== null).map((device) => device.id),
	};
	process.send?.({ ready });
}

void main();
