/**
 * P1 action throughput, as a fleet operator meets it: N Function > Call items, one device each, against a fake cloud
 * whose device calls take a device's time (log-normal, median 300 ms, p95 1.5 s, seeded; 2 % of the devices offline,
 * 1 % slow: 408 after the cloud's timeout, shortened to 5 s). The Particle node at Concurrency 10 against n8n's HTTP
 * Request node with Batching at 10 items per batch and against raw undici with 10 workers (the floor); the same under
 * a tight 429 limit; CPU per call; and every option at its default.
 * Run: node --expose-gc -r @swc-node/register bench/p1Throughput.ts [--quick] [--calls N] [--rounds N]
 */
import './env';

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { INode, INodeProperties, INodeType, IVersionedNodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { Agent, request } from 'undici';

import type { RateLimitOptions } from '../fake-cloud';
import { DeviceLatency, type DeviceLatencyOptions } from '../fake-cloud/latency';
import { Particle } from '../nodes/Particle/Particle.node';
import { TestCredentialsHelper } from '../test/harness/credentials';
import { CREDENTIAL_ID } from '../test/harness/engine';
import { PACKAGE_PREFIX } from '../test/harness/nodeTypes';
import { benchNodeTypes, runOnce, type BenchOutcome } from './engine';
import { formatNumber, median, nowMs, ratioOf, report, runIfMain, within, type BenchOptions, type Figure } from './lib';
import type { P1CloudCommand, P1CloudReady, P1CloudSpec, P1CloudStats } from './p1Cloud';

const FUNCTION_NAME = 'led';
const ARGUMENT = 'on';
const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
const BEARER_CREDENTIAL_ID = 'bench-bearer-1';
const CONCURRENCY = 10;
/** Particle: 10,000 requests per 5 minutes per IP. */
const PARTICLE_BUDGET_PER_SECOND = 10_000 / 300;
const TARGET_VS_HTTP = 0.6;
const TARGET_VS_FLOOR = 1.15;
const TARGET_CPU = 1.0;
/** Tight enough that both nodes meet it: 5 calls a second, Retry-After 1 s. */
const TIGHT_LIMIT: RateLimitOptions = { max: 5, windowMs: 1000, retryAfterSeconds: 1 };

/** A device's round trip as issue #15 asks: median 300 ms, p95 1.5 s; 2 % offline, 1 % slow, timeout shortened to 5 s. */
const DEVICE_LATENCY: DeviceLatencyOptions = { seed: 7, medianMs: 300, p95Ms: 1500, offlineFraction: 0.02, slowFraction: 0.01, cloudTimeoutMs: 5000 };
/** --quick: the same shape a tenth as long, a smoke test only. */
const QUICK_LATENCY: DeviceLatencyOptions = { ...DEVICE_LATENCY, medianMs: 30, p95Ms: 150, cloudTimeoutMs: 500 };

export const METHOD = [
	'Every figure answers a question a fleet operator asks before sending one call to each of 1,000 devices. The fake',
	'cloud runs in a child process (`bench/p1Cloud.ts`), so this process\'s CPU time is the nodes\' and n8n\'s alone.',
	'Its device calls take a device\'s time (`fake-cloud/latency.ts`): log-normal round trips, median 300 ms, p95 1.5 s',
	'(mean 484 ms), seeded by device and call, so every variant and run meets the same times; 2 % of the devices are',
	'offline (404 at once) and 1 % are slow (408 after the cloud\'s timeout, 5 s here; a drawn time beyond it is a 408',
	'too). Items: Function > Call of `led` (`on`), device ID from the item, On Error "Continue", so a failed device',
	'becomes an error item and the run goes on. **Particle node**: Options > Concurrency 10. **HTTP Request node**:',
	'n8n-nodes-base 2.41.1 (the n8n the demo installs, or `N8N_NODES_BASE_DIR`) at its default version, POST',
	'`<cloud>/v1/devices/{{ $json.id }}/led`, Generic Credential Type > Bearer Auth, JSON body field `arg`, Options >',
	'Batching: 10 items per batch (what a user sets to stay inside a rate limit), Batch Interval at its default (read',
	'from the node). **Raw undici**: the same POSTs from 10 workers, each sending the next as soon as its last is',
	'answered (the floor). **Schedule**: the same round trips laid out with no overhead at all (each call starts when a',
	'worker frees up; for the HTTP Request node, when its batch starts), the wall time the latencies alone impose.',
	'Variants interleaved in each round after a warm-up without latency; median of the rounds (the round trips are the',
	'same draws in every run, so rounds differ only by the machine\'s noise). `--quick`: 100 calls, times a tenth.',
	'',
	'- *Same concurrency* (Particle node vs HTTP Request node, vs undici): how long 1,000 calls take at 10 in flight,',
	'  the way each tool keeps 10 in flight.',
	'- *A rate-limited cloud*: the fake answers 429 with Retry-After once 5 calls a second were accepted; items that',
	'  failed, calls a device ran twice (each item has its own device) and wall time, for the Particle node at',
	'  Concurrency 10, the HTTP Request node with Batching (On Error "Continue") and the same with Retry On Fail (n8n\'s',
	'  node setting, 3 tries 1 s apart, which needs On Error "Stop").',
	'- *CPU per call*: this process\'s CPU time (user + system) during the runs above, divided by the calls, for the',
	'  Particle node and the HTTP Request node, both through n8n-core\'s request helper.',
	'- *Default settings*: the same calls with every option at its default (Concurrency read from the node\'s',
	'  description), the wall time a new user gets; one run.',
].join('\n');

/** n8n-nodes-base from the n8n the demo installs, else N8N_NODES_BASE_DIR (the package folder or a node_modules). */
export function findNodesBase(): string | undefined {
	const candidates = [join(__dirname, '..', '.demo-cache', 'n8n', 'node_modules', 'n8n-nodes-base')];
	const fromEnv = process.env.N8N_NODES_BASE_DIR;
	if (fromEnv) candidates.push(fromEnv, join(fromEnv, 'n8n-nodes-base'), join(fromEnv, 'node_modules', 'n8n-nodes-base'));
	return candidates.find((dir) => existsSync(join(dir, 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js')));
}

interface HttpRequestModule {
	HttpRequest: new () => IVersionedNodeType;
}

interface LoadedHttpRequest {
	type: IVersionedNodeType;
	version: number;
	packageVersion: string;
	/** Options > Batching > Batch Interval (ms) as the node sets it when a user adds Batching. */
	batchIntervalMs: number;
}

interface DescribedEntry {
	name: string;
	default?: unknown;
	options?: unknown[];
	values?: unknown[];
	displayOptions?: INodeProperties['displayOptions'];
}

/**
 * A parameter's default in a node's description, by its path of names through collections (`options`) and fixed
 * collections (`values`); `where` picks among same-named parameters at the top (one Options collection per operation).
 */
function defaultAt(properties: readonly INodeProperties[], path: string[], where: (entry: DescribedEntry) => boolean = () => true): unknown {
	let level = properties as readonly unknown[];
	let found: DescribedEntry | undefined;
	for (const [depth, name] of path.entries()) {
		const rest = path.slice(depth + 1);
		// Among same-named entries (one Options collection per operation), the one `where` picks that has the rest.
		found = (level as DescribedEntry[]).find(
			(entry) => entry.name === name && (depth > 0 || where(entry)) && (rest.length === 0 || defaultAt((entry.values ?? entry.options ?? []) as INodeProperties[], rest) !== undefined),
		);
		if (found === undefined) return undefined;
		level = found.values ?? found.options ?? [];
	}
	return found?.default;
}

/**
 * n8n's HTTP Request node as n8n loads it. Its own requires (n8n-workflow and the rest) resolve from its own
 * node_modules; only plain data and the execution context cross between the two copies.
 */
function loadHttpRequest(dir: string): LoadedHttpRequest {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const loaded = require(join(dir, 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js')) as HttpRequestModule;
	const type = new loaded.HttpRequest();
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const packageVersion = (require(join(dir, 'package.json')) as { version: string }).version;
	// The version n8n gives a new HTTP Request node in the editor.
	const versions = Object.keys(type.nodeVersions).map(Number);
	const version = type.description.defaultVersion ?? Math.max(...versions);
	const interval = defaultAt(type.getNodeType(version).description.properties, ['options', 'batching', 'batch', 'batchInterval']);
	if (typeof interval !== 'number') throw new Error('P1: the HTTP Request node has no Batch Interval default where expected');
	return { type, version, packageVersion, batchIntervalMs: interval };
}

/**
 * Function > Call's Concurrency default, from the Particle node's own description (so it follows any change there):
 * the Options collection n8n shows for Function > Call, its Concurrency option.
 */
export function particleDefaultConcurrency(): number {
	const description = new Particle().description;
	const values = { resource: 'function', operation: 'call' };
	const shown = (entry: DescribedEntry) => NodeHelpers.displayParameter(values, entry as INodeProperties, { typeVersion: 1 }, description);
	const value = defaultAt(description.properties, ['options', 'concurrency'], shown);
	if (typeof value !== 'number') throw new Error('P1: no Concurrency default in the Function > Call options of the Particle node');
	return value;
}

function particleNode(concurrency: number | undefined): INode {
	return {
		id: 'particle-1',
		name: 'Particle',
		type: `${PACKAGE_PREFIX}particle`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'function',
			operation: 'call',
			device: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			functionName: FUNCTION_NAME,
			argument: ARGUMENT,
			options: concurrency === undefined ? {} : { concurrency },
		},
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
		onError: 'continueRegularOutput',
	};
}

/**
 * How a user calls a Particle function with the HTTP Request node and keeps it to 10 at a time: POST, URL with the
 * device ID from the item, Bearer Auth, one JSON body field, Options > Batching 10 items per batch. `retryOnFail`:
 * n8n's Retry On Fail setting (3 tries, 1 s apart), which applies only when the node stops the workflow on error.
 */
function httpRequestNode(url: string, http: LoadedHttpRequest, retryOnFail = false): INode {
	return {
		id: 'http-1',
		name: 'HTTP Request',
		type: HTTP_REQUEST_TYPE,
		typeVersion: http.version,
		position: [0, 0],
		parameters: {
			method: 'POST',
			url: `=${url}/v1/devices/{{ $json.id }}/${FUNCTION_NAME}`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpBearerAuth',
			sendBody: true,
			contentType: 'json',
			specifyBody: 'keypair',
			bodyParameters: { parameters: [{ name: 'arg', value: ARGUMENT }] },
			options: { batching: { batch: { batchSize: CONCURRENCY, batchInterval: http.batchIntervalMs } } },
		},
		credentials: { httpBearerAuth: { id: BEARER_CREDENTIAL_ID, name: 'Particle token (Bearer)' } },
		...(retryOnFail ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 1000 } : { onError: 'continueRegularOutput' as const }),
	};
}

/** A command as sent; the id is added. (Omit on the union itself would keep only the shared keys.) */
type CommandWithoutId = P1CloudCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

/** The fake cloud's process, commanded over IPC. */
class CloudProcess {
	private nextId = 1;
	private readonly waiting = new Map<number, (result: unknown) => void>();

	private constructor(
		private readonly child: ChildProcess,
		readonly ready: P1CloudReady,
	) {
		child.on('message', (message: { id?: number; result?: unknown }) => {
			if (message.id === undefined) return;
			this.waiting.get(message.id)?.(message.result);
			this.waiting.delete(message.id);
		});
	}

	static async start(spec: P1CloudSpec): Promise<CloudProcess> {
		const child = fork(join(__dirname, 'p1Cloud.ts'), [JSON.stringify(spec)], { cwd: join(__dirname, '..'), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		const ready = await within(
			120_000,
			'P1 fake cloud process',
			new Promise<P1CloudReady>((resolve, reject) => {
				child.on('message', (message: { ready?: P1CloudReady }) => {
					if (message.ready) resolve(message.ready);
				});
				child.once('exit', (code) => reject(new Error(`the P1 fake cloud process ended (${code})`)));
			}),
		);
		return new CloudProcess(child, ready);
	}

	async send<T = null>(command: CommandWithoutId): Promise<T> {
		const id = this.nextId++;
		const answer = new Promise<T>((resolve) => this.waiting.set(id, (result) => resolve(result as T)));
		this.child.send({ ...command, id });
		return await within(30_000, `P1 fake cloud: ${command.cmd}`, answer);
	}

	stop(): void {
		if (this.child.connected) this.child.disconnect();
		this.child.kill();
	}
}

/** How the items of one run came out. */
interface Outcome {
	ms: number;
	/** Process CPU (user + system), ms. */
	cpuMs: number;
	ok: number;
	failed: number;
	/** The whole run failed (the node stopped the workflow). */
	runFailed: boolean;
	stats: P1CloudStats;
}

async function measured(cloud: CloudProcess, items: number, work: () => Promise<{ ok: number; failed: number; runFailed?: boolean }>): Promise<Outcome> {
	await cloud.send({ cmd: 'reset' });
	const cpu = process.cpuUsage();
	const started = nowMs();
	const result = await work();
	const ms = nowMs() - started;
	const used = process.cpuUsage(cpu);
	const stats = await cloud.send<P1CloudStats>({ cmd: 'stats' });
	if (result.ok + result.failed !== items && !result.runFailed) throw new Error(`P1: ${result.ok + result.failed} items came out of ${items}`);
	return { ms, cpuMs: (used.user + used.system) / 1000, ok: result.ok, failed: result.failed, runFailed: result.runFailed === true, stats };
}

function tally(outcome: BenchOutcome, items: number): { ok: number; failed: number; runFailed: boolean } {
	if (outcome.error) return { ok: 0, failed: items, runFailed: true };
	const ok = outcome.items.filter((item) => item.json.return_value === 1).length;
	return { ok, failed: outcome.items.length - ok, runFailed: false };
}

/** The same POSTs with undici: `workers` workers, each sending the next call when its previous one is answered. */
async function rawUndici(url: string, token: string, ids: string[], workers: number): Promise<{ ok: number; failed: number }> {
	const agent = new Agent({ connections: workers });
	let next = 0;
	let ok = 0;
	let failed = 0;
	const worker = async () => {
		for (let index = next++; index < ids.length; index = next++) {
			const response = await request(`${url}/v1/devices/${ids[index]}/${FUNCTION_NAME}`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ arg: ARGUMENT }),
				dispatcher: agent,
			});
			const body = (await response.body.json()) as { return_value?: number };
			if (response.statusCode === 200 && body.return_value === 1) ok++;
			else failed++;
		}
	};
	try {
		await Promise.all(Array.from({ length: workers }, worker));
	} finally {
		await agent.close();
	}
	return { ok, failed };
}

/** Each call's round trip as the fake will give it: offline 0, slow the timeout, others their first draw (capped). */
function roundTrips(ids: string[], ready: P1CloudReady, options: DeviceLatencyOptions): number[] {
	const model = new DeviceLatency(options);
	const offline = new Set(ready.offline);
	const slow = new Set(ready.slow);
	return ids.map((id) => (offline.has(id) ? 0 : slow.has(id) ? model.cloudTimeoutMs : model.nextCall(id).ms));
}

/** The wall time of the round trips alone: `workers` in flight, the next call to the first free worker. */
function scheduleWorkers(trips: number[], workers: number): number {
	const free = new Array<number>(Math.min(workers, trips.length)).fill(0);
	for (const trip of trips) {
		let first = 0;
		for (let index = 1; index < free.length; index++) if (free[index] < free[first]) first = index;
		free[first] += trip;
	}
	return Math.max(0, ...free);
}

/** The HTTP Request node's Batching: batch k starts at k x interval, whatever the answers; done when the last answer is. */
function scheduleBatches(trips: number[], batchSize: number, intervalMs: number): number {
	return Math.max(0, ...trips.map((trip, index) => Math.floor(index / batchSize) * intervalMs + trip));
}

interface Sizes {
	calls: number;
	rounds: number;
	rateItems: number;
	latency: DeviceLatencyOptions;
}

function sizesFor(options: BenchOptions, argv = process.argv.slice(2)): Sizes {
	const flag = (name: string): number | undefined => {
		const at = argv.indexOf(name);
		const value = at === -1 ? Number.NaN : Number(argv[at + 1]);
		return Number.isInteger(value) && value > 0 ? value : undefined;
	};
	const base: Sizes = options.quick
		? { calls: 100, rounds: 1, rateItems: 20, latency: QUICK_LATENCY }
		: { calls: 1000, rounds: 2, rateItems: 50, latency: DEVICE_LATENCY };
	return { ...base, calls: flag('--calls') ?? base.calls, rounds: flag('--rounds') ?? base.rounds };
}

const perSecond = (calls: number, ms: number) => (calls / ms) * 1000;
const seconds = (ms: number) => `${formatNumber(ms / 1000)} s`;

export async function run(options: BenchOptions): Promise<Figure[]> {
	const sizes = sizesFor(options);
	const { calls, rounds } = sizes;
	const figures: Figure[] = [];
	const defaultConcurrency = particleDefaultConcurrency();
	const cloud = await CloudProcess.start({ devices: calls, seed: 7, latency: sizes.latency });
	try {
		const { url, token } = cloud.ready;
		const ids = cloud.ready.ids.slice(0, calls);
		if (ids.length < calls) throw new Error(`P1: the fake has ${ids.length} devices, ${calls} needed`);
		const items = ids.map((id) => ({ id }));
		const credentialsHelper = new TestCredentialsHelper();
		credentialsHelper.store.set(CREDENTIAL_ID, { authMode: 'accessToken', accessToken: token, baseUrl: url, sessionToken: '' });
		credentialsHelper.store.set(BEARER_CREDENTIAL_ID, { token, allowedDomains: '' });

		const nodesBase = findNodesBase();
		const http = nodesBase ? loadHttpRequest(nodesBase) : undefined;
		if (!http) {
			console.log(
				'P1: n8n-nodes-base not found (looked in .demo-cache/n8n/node_modules and N8N_NODES_BASE_DIR). Run `npm run demo:install` once (it installs n8n), then run the bench again; the HTTP Request node part is skipped.',
			);
		}
		const extra: Record<string, INodeType | IVersionedNodeType> = http ? { [HTTP_REQUEST_TYPE]: http.type } : {};
		const nodeTypes = benchNodeTypes(extra);
		const particle = async (concurrency: number | undefined, input = items) => tally(await runOnce(particleNode(concurrency), nodeTypes, input, credentialsHelper), input.length);
		const httpRequest = async (loaded: LoadedHttpRequest, input = items, retryOnFail = false) =>
			tally(await runOnce(httpRequestNode(url, loaded, retryOnFail), nodeTypes, input, credentialsHelper), input.length);

		// Warm-up without latency: loads n8n-core's request path, opens sockets, JIT; not measured.
		await cloud.send({ cmd: 'latency', on: false });
		const warm = items.slice(0, 50);
		await particle(CONCURRENCY, warm);
		if (http) await httpRequest({ ...http, batchIntervalMs: 0 }, warm);
		await rawUndici(url, token, ids.slice(0, 50), CONCURRENCY);
		await cloud.send({ cmd: 'latency', on: true });

		// --- Same concurrency: interleaved rounds, so a noisy neighbour slows every variant alike.
		const runs: Record<'particle' | 'undici' | 'http', Outcome[]> = { particle: [], undici: [], http: [] };
		for (let round = 0; round < rounds; round++) {
			runs.particle.push(await measured(cloud, calls, () => particle(CONCURRENCY)));
			runs.undici.push(await measured(cloud, calls, () => rawUndici(url, token, ids, CONCURRENCY)));
			if (http) runs.http.push(await measured(cloud, calls, () => httpRequest(http)));
		}
		const first = runs.particle[0];
		for (const [name, outcomes] of Object.entries(runs)) {
			for (const outcome of outcomes) {
				// The same calls meet the same devices: any other count of successes means the variants did other work.
				if (outcome.ok !== first.ok) throw new Error(`P1: ${name} had ${outcome.ok} successful calls, the Particle node ${first.ok}`);
				if ((outcome.stats.posts['200'] ?? 0) !== first.ok || outcome.stats.ranTwice !== 0) throw new Error(`P1: ${name} sent other calls: ${JSON.stringify(outcome.stats)}`);
			}
		}
		// The option must have been read: otherwise every figure below compares something else.
		if (first.stats.maxInFlight !== CONCURRENCY) throw new Error(`P1: the Particle node kept ${first.stats.maxInFlight} calls in flight, not ${CONCURRENCY}`);
		const wall = (outcomes: Outcome[]) => median(outcomes.map((outcome) => outcome.ms));
		const cpuPerCall = (outcomes: Outcome[]) => median(outcomes.map((outcome) => outcome.cpuMs / calls));
		const trips = roundTrips(ids, cloud.ready, sizes.latency);
		const ideal10 = scheduleWorkers(trips, CONCURRENCY);
		const particleWall = wall(runs.particle);
		const undiciWall = wall(runs.undici);
		const failedNote = `${first.ok} calls answered 1, ${first.failed} failed (offline, slow or past the cloud's timeout), the same in every variant`;
		facts = { calls, meanTripMs: trips.reduce((sum, trip) => sum + trip, 0) / trips.length, batchIntervalMs: http?.batchIntervalMs, defaultConcurrency };

		let httpWall: number | undefined;
		if (http) {
			httpWall = wall(runs.http);
			const idealBatches = scheduleBatches(trips, CONCURRENCY, http.batchIntervalMs);
			report(figures, {
				group: 'P1',
				name: `HTTP Request node v${http.version} (n8n-nodes-base ${http.packageVersion}), Batching ${CONCURRENCY} items per batch, Batch Interval ${http.batchIntervalMs} ms (its default): wall time, ${calls} calls`,
				value: httpWall,
				unit: 'ms',
				runs: rounds,
				baseline: { name: 'its schedule (batches start an interval apart, whatever the answers)', value: idealBatches },
				ratio: ratioOf(httpWall, idealBatches),
				note: `${formatNumber(perSecond(calls, httpWall))} calls/s; up to ${runs.http[0].stats.maxInFlight} calls in flight (a batch does not wait for the one before)`,
			});
			report(figures, {
				group: 'P1',
				name: `Same concurrency: Particle node, Concurrency ${CONCURRENCY}, vs HTTP Request node, Batching ${CONCURRENCY}: wall time, ${calls} calls`,
				value: particleWall,
				unit: 'ms',
				runs: rounds,
				baseline: { name: `HTTP Request node, Batching ${CONCURRENCY}`, value: httpWall },
				ratio: ratioOf(particleWall, httpWall),
				target: `<= ${TARGET_VS_HTTP}x the HTTP Request node`,
				met: ratioOf(particleWall, httpWall) <= TARGET_VS_HTTP,
				note: `${formatNumber(perSecond(calls, particleWall))} calls/s; ${failedNote}`,
			});
		}
		report(figures, {
			group: 'P1',
			name: `Same concurrency: Particle node, Concurrency ${CONCURRENCY}, vs raw undici, ${CONCURRENCY} workers (the floor): wall time, ${calls} calls`,
			value: particleWall,
			unit: 'ms',
			runs: rounds,
			baseline: { name: `raw undici, ${CONCURRENCY} workers`, value: undiciWall },
			ratio: ratioOf(particleWall, undiciWall),
			target: `<= ${TARGET_VS_FLOOR}x undici`,
			met: ratioOf(particleWall, undiciWall) <= TARGET_VS_FLOOR,
			note: `the round trips alone, ${CONCURRENCY} in flight with no overhead: ${formatNumber(ideal10)} ms (undici ${formatNumber(ratioOf(undiciWall, ideal10))}x of it); most in flight: ${first.stats.maxInFlight}`,
		});

		// --- CPU per call, from the same runs.
		if (http) {
			const particleCpu = cpuPerCall(runs.particle);
			const httpCpu = cpuPerCall(runs.http);
			report(figures, {
				group: 'P1',
				name: 'CPU per call: Particle node (process CPU time / calls, the runs above)',
				value: particleCpu,
				unit: 'ms',
				runs: rounds,
				baseline: { name: 'HTTP Request node, Batching 10', value: httpCpu },
				ratio: ratioOf(particleCpu, httpCpu),
				target: `<= ${TARGET_CPU}x the HTTP Request node`,
				met: ratioOf(particleCpu, httpCpu) <= TARGET_CPU,
				note: `raw undici: ${formatNumber(cpuPerCall(runs.undici))} ms a call; per request sent (the Particle node also read its ${first.stats.others} failed devices once, to say when each was last heard): ${formatNumber(particleCpu * calls / (calls + first.stats.others))} ms, ${formatNumber(ratioOf(particleCpu * calls / (calls + first.stats.others), httpCpu))}x; the fake cloud runs in another process`,
			});
			facts.cpu = { particle: particleCpu, http: httpCpu, reads: first.stats.others };
		}

		// --- A rate-limited cloud: items on online devices that answer, so a failure is the limit's alone.
		const offline = new Set([...cloud.ready.offline, ...cloud.ready.slow]);
		const rateIds = ids.filter((id, index) => !offline.has(id) && trips[index] < (sizes.latency.cloudTimeoutMs ?? Infinity)).slice(0, sizes.rateItems);
		const rateItems = rateIds.map((id) => ({ id }));
		const limited = async (work: () => Promise<{ ok: number; failed: number; runFailed?: boolean }>) => {
			await cloud.send({ cmd: 'reset' });
			await cloud.send({ cmd: 'rateLimit', limit: TIGHT_LIMIT });
			const started = nowMs();
			const result = await work();
			const ms = nowMs() - started;
			const stats = await cloud.send<P1CloudStats>({ cmd: 'stats' });
			await cloud.send({ cmd: 'rateLimit', limit: null });
			return { ms, ...result, stats };
		};
		const limitText = `${TIGHT_LIMIT.max} calls per ${TIGHT_LIMIT.windowMs / 1000} s, Retry-After ${TIGHT_LIMIT.retryAfterSeconds} s`;
		const rateRow = (label: string, outcome: Awaited<ReturnType<typeof limited>>, target?: boolean): Figure => ({
			group: 'P1',
			name: `Rate-limited cloud (${limitText}), ${rateItems.length} items: ${label}: items failed`,
			value: outcome.runFailed ? rateItems.length : outcome.failed,
			unit: 'items',
			...(target
				? { target: '0 items failed, 0 calls sent twice', met: outcome.failed === 0 && !outcome.runFailed && outcome.stats.ranTwice === 0 }
				: {}),
			note: `calls sent twice (a device ran it twice): ${outcome.stats.ranTwice}; 429s received: ${outcome.stats.posts['429'] ?? 0}; wall time ${seconds(outcome.ms)}${outcome.runFailed ? '; the run failed, so no item came out' : ''}`,
		});
		const particleLimited = await limited(() => particle(CONCURRENCY, rateItems));
		report(figures, rateRow(`Particle node, Concurrency ${CONCURRENCY}`, particleLimited, true));
		if (http) {
			report(figures, rateRow(`HTTP Request node, Batching ${CONCURRENCY}, On Error "Continue"`, await limited(() => httpRequest(http, rateItems))));
			report(figures, rateRow(`HTTP Request node, Batching ${CONCURRENCY}, Retry On Fail (3 tries, 1 s apart)`, await limited(() => httpRequest(http, rateItems, true))));
		}

		// --- Default settings: every option at its default; one run (the longest part when the default is 1).
		const defaults = await measured(cloud, calls, () => particle(undefined));
		if (defaults.ok !== first.ok) throw new Error(`P1: defaults had ${defaults.ok} successful calls, Concurrency ${CONCURRENCY} ${first.ok}`);
		const rate = perSecond(calls, defaults.ms);
		const idealDefault = scheduleWorkers(trips, defaultConcurrency);
		report(figures, {
			group: 'P1',
			name: `Default settings: Particle node, every option at its default (Concurrency ${defaultConcurrency}, from the node's description): wall time, ${calls} calls`,
			value: defaults.ms,
			unit: 'ms',
			runs: 1,
			baseline: { name: `Particle node, Concurrency ${CONCURRENCY}`, value: particleWall },
			ratio: ratioOf(defaults.ms, particleWall),
			target: `within Particle's budget (<= ${formatNumber(PARTICLE_BUDGET_PER_SECOND)} calls/s), and not one at a time`,
			met: rate <= PARTICLE_BUDGET_PER_SECOND && defaultConcurrency > 1,
			note: `${formatNumber(rate)} calls/s (${formatNumber(rate * 300)} per 5 minutes of Particle's 10,000); most in flight: ${defaults.stats.maxInFlight}; the round trips alone at ${defaultConcurrency} in flight: ${seconds(idealDefault)}`,
		});
		facts.observedDefault = defaults.stats.maxInFlight;
	} finally {
		cloud.stop();
	}
	return figures;
}

/** What the last run learnt that the reasons need (the default read from the description, the mean round trip). */
interface P1Facts {
	calls: number;
	meanTripMs: number;
	batchIntervalMs?: number;
	defaultConcurrency: number;
	/** Most calls in flight seen in the defaults run. */
	observedDefault?: number;
	cpu?: { particle: number; http: number; reads: number };
}
let facts: P1Facts | undefined;

/** Why each target is met or missed, written from the figures and facts of the run (bench/run.ts puts it under the table). */
export function explain(figures: Figure[]): string {
	const find = (start: string) => figures.find((figure) => figure.name.startsWith(start));
	const status = (figure: Figure) => `${figure.met ? 'met' : '**missed**'}${figure.ratio === undefined ? '' : `, ${formatNumber(figure.ratio)}x`}`;
	const lines = ['**Why each P1 target is met or missed.**', ''];
	const calls = facts?.calls ?? 1000;
	const mean = facts ? `${formatNumber(facts.meanTripMs)} ms` : 'about 480 ms';
	const vsHttp = find(`Same concurrency: Particle node, Concurrency ${CONCURRENCY}, vs HTTP`);
	if (vsHttp) {
		lines.push(
			`- *<= ${TARGET_VS_HTTP}x the HTTP Request node* (${status(vsHttp)}): Batching does not keep ${CONCURRENCY} in flight: it starts ${CONCURRENCY} requests, waits the Batch Interval (${facts?.batchIntervalMs ?? 1000} ms, its default) and starts the next ${CONCURRENCY}, whatever the answers, so ${calls} calls take at least ${Math.ceil(calls / CONCURRENCY) - 1} intervals plus the last answers (a slow device's calls pile up in flight meanwhile). The Particle node starts the next call as soon as one of its ${CONCURRENCY} is answered, so its wall time is the round trips (mean ${mean}) / ${CONCURRENCY}.${
				vsHttp.met ? '' : ` Missed: the round trips were long against the Batch Interval, so the Particle node's floor (round trips / ${CONCURRENCY}) came close to the batches' schedule.`
			}`,
		);
	}
	const vsFloor = find(`Same concurrency: Particle node, Concurrency ${CONCURRENCY}, vs raw undici`);
	if (vsFloor) {
		const share = facts?.cpu ? (facts.cpu.particle / facts.meanTripMs) * 100 : undefined;
		lines.push(
			`- *<= ${TARGET_VS_FLOOR}x raw undici* (${status(vsFloor)}): n8n's request path (the engine's parameter and expression resolution, the credential, axios, pairing) runs while the other calls wait on their devices, so it is hidden behind the round trips; what shows is the gap between one call's answer and the next call's start.${
				vsFloor.met
					? ''
					: ` Missed: the Particle node's CPU per call${share === undefined ? '' : ` (${formatNumber(facts!.cpu!.particle)} ms, ${formatNumber(share)} % of a mean round trip of ${mean})`} is paid between calls on 2 shared cores; at round trips this short it no longer hides.`
			}`,
		);
	}
	const cpu = find('CPU per call');
	if (cpu && facts?.cpu) {
		const perRequest = (facts.cpu.particle * calls) / (calls + facts.cpu.reads) / facts.cpu.http;
		lines.push(
			`- *CPU per call <= ${TARGET_CPU}x the HTTP Request node* (${status(cpu)}): both send through n8n-core's request helper and resolve one expression per item; the Particle node adds its checks, the 429 gate and its error mapping, the HTTP Request node its options and the sanitised request it shows in the editor. The Particle node also sends ${facts.cpu.reads} more requests (one read of each failed device, to say when it was last heard); per request sent it is ${formatNumber(perRequest)}x.${
				cpu.met ? '' : ` Missed by ${formatNumber(((cpu.ratio ?? 1) - 1) * 100)} %: ${perRequest <= TARGET_CPU ? 'those reads account for it (per request sent it is within the target).' : 'more than those reads; see the CPU note of the row (the machine is shared, and CPU time is counted for this whole process).'}`
			}`,
		);
	}
	const limited = figures.find((figure) => figure.name.startsWith('Rate-limited cloud') && figure.target !== undefined);
	if (limited) {
		lines.push(
			`- *Rate-limited: no item lost, no call sent twice* (${status(limited)}): a 429 closes the run's gate for Retry-After; then ONE request goes first (the probe) and the others follow only when it is accepted, so a reopened gate does not send every waiting call into the same closed window. A 429 is refused before anything runs, so the refused call is sent again while its time budget lasts (5 minutes of waiting, Particle's window); a 5xx, 408 or reset is never resent for a write. The HTTP Request node has no 429 handling: with On Error "Continue" the refused items fail; Retry On Fail runs the whole node again with every item, so calls that had been answered are sent again, and after 3 tries the run fails with no item out.${
				limited.met ? '' : ' Missed: a call past its budget, or one sent twice, is a bug in the gate; see the row\'s notes.'
			}`,
		);
	}
	const defaults = find('Default settings');
	if (defaults && facts) {
		const c = facts.defaultConcurrency;
		const atMedian = c / 0.3;
		lines.push(
			`- *Default settings* (${status(defaults)}): Concurrency ${c}, read from the node's description (at most ${facts.observedDefault ?? '?'} in flight were seen). ${
				c === 1
					? `One at a time, a fleet waits for every device in turn: ${calls} round trips of ${mean} on average. Missed: 1 is the wrong default for a fleet. A default should keep as many in flight as Particle's 10,000 requests per 5 minutes (${formatNumber(PARTICLE_BUDGET_PER_SECOND)}/s) allow for a run longer than that window, with room left for the same IP's other requests (triggers, other workflows): 8 in flight at the median round trip (300 ms) is 27/s.`
					: `${c} in flight at the median round trip (300 ms) is ${formatNumber(atMedian)} calls/s sustained, ${atMedian <= PARTICLE_BUDGET_PER_SECOND ? 'inside' : 'over'} Particle's ${formatNumber(PARTICLE_BUDGET_PER_SECOND)}/s even for a run longer than its 5-minute window; a shorter run cannot reach the 10,000 at all, and a 429 is waited out by the gate without losing an item.`
			}${facts.observedDefault === undefined || facts.observedDefault === c ? '' : ` The run kept ${facts.observedDefault} in flight, not ${c}: the node reads another default than its description shows.`}`,
		);
	}
	return lines.join('\n');
}

runIfMain(module, run, 3_600_000);
