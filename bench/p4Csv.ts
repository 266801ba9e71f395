/**
 * P4 vitals CSV export, memory. (a) One device's file, Particle's CSV streamed into n8n's binary data on disk, at
 * 720 (a month hourly), 43,200 (a month by the minute) and 1,000,000 rows: growth of live memory (heap + external)
 * and of RSS, after GC, against a 10 MB target. (b) The fleet file ("One File for All Items", the node-built Fleet
 * Operator layout) against n8n's own route for the same export (HTTP Request -> Split Out -> Convert to File), both in
 * the same engine and process, against a target of 1/3 of n8n's memory.
 * The fake cloud runs in a child process (bench/vitalsCloud.ts), so its own work is not counted.
 * Run: node --expose-gc -r @swc-node/register bench/p4Csv.ts [--quick] [--device | --fleet]
 */
import './env';

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

import type { INode, INodeParameters, INodeType, IVersionedNodeType } from 'n8n-workflow';

import { TestCredentialsHelper } from '../test/harness/credentials';
import { CREDENTIAL_ID } from '../test/harness/engine';
import { PACKAGE_PREFIX } from '../test/harness/nodeTypes';
import { benchNodeTypes } from './engine';
import { median, nowMs, ratioOf, report, runIfMain, within, type BenchOptions, type Figure } from './lib';
import { executeChain, loadNodesBaseType, useFilesystemBinaryData } from './vitalsWorkflow';

const MB = 1e6;
const DAY = 86_400_000;
const TARGET_DEVICE_MB = 10;
const TARGET_FLEET_RATIO = 1 / 3;
/**
 * Sampling: a full GC and a reading this often while a run goes on. Long streams are sampled less often (a GC of
 * n8n's heap takes tens of ms and would slow the run it measures); the short fleet runs more often, or the peak
 * would fall between samples.
 */
const SAMPLE_STREAM_MS = 250;
const SAMPLE_FLEET_MS = 50;
const BEARER_CREDENTIAL_ID = 'bench-bearer-p4';
const HTTP_REQUEST = 'n8n-nodes-base.httpRequest';
const SPLIT_OUT = 'n8n-nodes-base.splitOut';
const CONVERT_TO_FILE = 'n8n-nodes-base.convertToFile';

const gc = (globalThis as { gc?: () => void }).gc;

export const METHOD = [
	'**One device\'s file**: Vitals > Get History, Output CSV File, layout "Particle (Streamed)": the node asks for',
	'Particle\'s CSV (`Accept: text/csv`) over 30 days and hands the answer\'s stream to `prepareBinaryData`, with n8n\'s',
	'binary data service in its default `filesystem` mode (initialised as `n8n start` does, into a temp folder). The fake',
	'cloud runs in a child process with one device per size (record every 60 min, 1 min, 2.592 s). Memory = V8 heap used',
	'and RSS, read after full GCs on two turns every 250 ms during the run (peak; 50 ms for the shorter fleet runs) and',
	'once after it, minus the same before; heap + external (Buffers in flight) in the notes.',
	'**Fleet file**: N devices, 30 days of hourly vitals each, "One File for All Items" (Fleet Operator layout, built by',
	'the node from Particle\'s JSON), against n8n\'s own route for the same export in the same engine and process: HTTP',
	'Request (GET the history per device, Bearer auth) -> Split Out (`diagnostics`) -> Convert to File (CSV), both',
	'ending in n8n\'s binary data on disk. Peak heap + external growth of each (both hold the file as a Buffer before it',
	'goes to disk), median of the runs, interleaved. RSS is not compared there: in one process the allocator keeps what',
	'the larger route took, so the second route\'s RSS growth says nothing.',
].join('\n');

interface CloudProcess {
	url: string;
	token: string;
	ids: string[];
	child: ChildProcess;
}

async function startCloudProcess(devices: number, intervalsMinutes: number[]): Promise<CloudProcess> {
	const child = spawn(process.execPath, ['-r', '@swc-node/register', 'bench/vitalsCloud.ts', JSON.stringify({ devices, intervalsMinutes })], {
		cwd: `${__dirname}/..`,
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const lines = createInterface({ input: child.stdout! });
	const first = await within(
		60_000,
		'P4 fake cloud process',
		new Promise<string>((resolve, reject) => {
			lines.once('line', resolve);
			child.once('exit', (code) => reject(new Error(`the fake cloud process ended (${code})`)));
		}),
	);
	return { ...(JSON.parse(first) as Omit<CloudProcess, 'child'>), child };
}

function stopCloudProcess(cloud: CloudProcess): void {
	cloud.child.stdin?.end();
	cloud.child.kill();
}

interface Usage {
	heap: number;
	/** Heap + external (Buffers and other memory V8 holds outside its heap). */
	live: number;
	rss: number;
}

function read(): Usage {
	const memory = process.memoryUsage();
	return { heap: memory.heapUsed, live: memory.heapUsed + memory.external, rss: memory.rss };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** After full collections on two turns: the memory of dead Buffers is released a turn after the GC that found them. */
async function settledUsage(passes = 3): Promise<Usage> {
	for (let pass = 0; pass < passes; pass++) {
		gc?.();
		await nextTurn();
	}
	gc?.();
	return read();
}

const maxOf = (a: Usage, b: Usage): Usage => ({ heap: Math.max(a.heap, b.heap), live: Math.max(a.live, b.live), rss: Math.max(a.rss, b.rss) });

interface Measured<T> {
	result: T;
	ms: number;
	peakHeap: number;
	peakLive: number;
	peakRss: number;
	retainedHeap: number;
	retainedRss: number;
}

/** Growth over the state before, sampled with a full GC every `everyMs` while `work` runs, and retained after it. */
async function measure<T>(work: () => Promise<T>, everyMs: number): Promise<Measured<T>> {
	const before = await settledUsage();
	let peak = { ...before };
	let sampling = false;
	const timer = setInterval(() => {
		if (sampling) return;
		sampling = true;
		void settledUsage(1).then((now) => {
			peak = maxOf(peak, now);
			sampling = false;
		});
	}, everyMs);
	const started = nowMs();
	let result: T;
	try {
		result = await work();
	} finally {
		clearInterval(timer);
	}
	const ms = nowMs() - started;
	const end = await settledUsage();
	peak = maxOf(peak, end);
	return {
		result,
		ms,
		peakHeap: peak.heap - before.heap,
		peakLive: peak.live - before.live,
		peakRss: peak.rss - before.rss,
		retainedHeap: end.heap - before.heap,
		retainedRss: end.rss - before.rss,
	};
}

function credentialsFor(cloud: CloudProcess): TestCredentialsHelper {
	const helper = new TestCredentialsHelper();
	helper.store.set(CREDENTIAL_ID, { authMode: 'accessToken', accessToken: cloud.token, baseUrl: cloud.url, sessionToken: '' });
	helper.store.set(BEARER_CREDENTIAL_ID, { token: cloud.token, allowedDomains: '' });
	return helper;
}

/** 30 days back (less 10 minutes, so the node's own 30-day check holds however long a run takes) until now. */
function monthRange(): { startDate: string; endDate: string } {
	const now = Date.now();
	return { startDate: new Date(now - 30 * DAY + 10 * 60_000).toISOString(), endDate: new Date(now).toISOString() };
}

function particleHistoryNode(csvOptions: INodeParameters): INode {
	return {
		id: 'particle-1',
		name: 'Particle',
		type: `${PACKAGE_PREFIX}particle`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			resource: 'vitals',
			operation: 'getHistory',
			device: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
			...monthRange(),
			output: 'csv',
			csvOptions,
		},
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
	};
}

/** n8n's own route, every option at its default but what the export needs. */
function n8nRoute(cloud: CloudProcess, versions: { http: number }): INode[] {
	const { startDate, endDate } = monthRange();
	return [
		{
			id: 'http-1',
			name: 'HTTP Request',
			type: HTTP_REQUEST,
			typeVersion: versions.http,
			position: [0, 0],
			parameters: {
				method: 'GET',
				url: `=${cloud.url}/v1/diagnostics/{{ $json.id }}?start_date=${startDate}&end_date=${endDate}`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpBearerAuth',
				options: {},
			},
			credentials: { httpBearerAuth: { id: BEARER_CREDENTIAL_ID, name: 'Particle token (Bearer)' } },
		},
		{ id: 'split-1', name: 'Split Out', type: SPLIT_OUT, typeVersion: 1, position: [200, 0], parameters: { fieldToSplitOut: 'diagnostics', include: 'noOtherFields', options: {} } },
		{ id: 'file-1', name: 'Convert to File', type: CONVERT_TO_FILE, typeVersion: 1.1, position: [400, 0], parameters: { operation: 'csv', binaryPropertyName: 'data', options: {} } },
	];
}

const formatRows = (rows: number) => rows.toLocaleString('en-US');

async function deviceFiles(options: BenchOptions, figures: Figure[]): Promise<void> {
	const sizes = options.quick ? [720, 7_200] : [720, 43_200, 1_000_000];
	const runs = options.quick ? 1 : 3;
	// 30 days of records at one interval each: 60 min -> 720, 1 min -> 43,200, 2.592 s -> 1,000,000.
	const cloud = await startCloudProcess(sizes.length, sizes.map((rows) => (30 * 24 * 60) / rows));
	try {
		const credentials = credentialsFor(cloud);
		const nodeTypes = benchNodeTypes({});
		const node = particleHistoryNode({ includeDeviceName: false });
		const once = async (index: number) => {
			const [item] = await executeChain([node], nodeTypes, [{ id: cloud.ids[index] }], credentials);
			const binary = item?.binary?.data;
			if (!binary?.id) throw new Error('P4: the file did not go to n8n\'s binary data on disk');
			return binary.bytes ?? 0;
		};
		await once(0); // Warm-up: loads n8n-core's request and binary paths; not measured.
		for (const [index, rows] of sizes.entries()) {
			const results: Array<Measured<number>> = [];
			for (let round = 0; round < runs; round++) results.push(await measure(() => once(index), SAMPLE_STREAM_MS));
			const bytes = results[0].result;
			const of = (pick: (entry: Measured<number>) => number) => median(results.map(pick)) / MB;
			const heap = of((entry) => entry.peakHeap);
			const rss = of((entry) => entry.peakRss);
			const note = `streamed in ${median(results.map((entry) => entry.ms)).toFixed(0)} ms; peak heap + external ${of((entry) => entry.peakLive).toFixed(2)} MB (socket and file chunks in flight); retained after the run: ${of((entry) => entry.retainedHeap).toFixed(2)} MB heap, ${of((entry) => entry.retainedRss).toFixed(2)} MB RSS`;
			for (const [what, value] of [['heap', heap], ['RSS', rss]] as const) {
				report(figures, {
					group: 'P4',
					name: `${formatRows(rows)} rows, one device's file (Particle's CSV streamed to disk): peak ${what} growth`,
					value,
					unit: 'MB',
					runs,
					baseline: { name: 'the file itself', value: bytes / MB },
					ratio: ratioOf(value, bytes / MB),
					target: `<= ${TARGET_DEVICE_MB} MB`,
					met: value <= TARGET_DEVICE_MB,
					note,
				});
			}
		}
	} finally {
		stopCloudProcess(cloud);
	}
}

async function fleetFile(options: BenchOptions, figures: Figure[]): Promise<void> {
	const devices = options.quick ? 3 : 50;
	const runs = options.quick ? 1 : 3;
	const http = loadNodesBaseType('HttpRequest/HttpRequest.node.js', 'HttpRequest') as IVersionedNodeType | undefined;
	const splitOut = loadNodesBaseType('Transform/SplitOut/SplitOut.node.js', 'SplitOut') as INodeType | undefined;
	const convertToFile = loadNodesBaseType('Files/ConvertToFile/ConvertToFile.node.js', 'ConvertToFile') as INodeType | undefined;
	if (!http || !splitOut || !convertToFile) {
		console.log('P4: n8n-nodes-base not found (run `npm start` once, it installs n8n); the fleet comparison is skipped.');
		return;
	}
	const cloud = await startCloudProcess(devices, []);
	try {
		const credentials = credentialsFor(cloud);
		const nodeTypes = benchNodeTypes({ [HTTP_REQUEST]: http, [SPLIT_OUT]: splitOut, [CONVERT_TO_FILE]: convertToFile });
		const versions = { http: http.description.defaultVersion ?? Math.max(...Object.keys(http.nodeVersions).map(Number)) };
		const items = cloud.ids.slice(0, devices).map((id) => ({ id }));
		const particle = async () => {
			const output = await executeChain([particleHistoryNode({ merge: true, layout: 'operator' })], nodeTypes, items, credentials);
			if (output.length !== 1 || !output[0].binary?.data.id) throw new Error('P4: the Particle node made no fleet file on disk');
			return { bytes: output[0].binary.data.bytes ?? 0, rows: Number(output[0].json.rows) };
		};
		const n8n = async () => {
			const output = await executeChain(n8nRoute(cloud, versions), nodeTypes, items, credentials);
			if (output.length !== 1 || !output[0].binary?.data.id) throw new Error('P4: n8n\'s route made no file on disk');
			return { bytes: output[0].binary.data.bytes ?? 0, rows: Number.NaN };
		};
		await particle();
		await n8n();
		const measured: Record<'particle' | 'n8n', Array<Measured<{ bytes: number; rows: number }>>> = { particle: [], n8n: [] };
		for (let round = 0; round < runs; round++) {
			measured.particle.push(await measure(particle, SAMPLE_FLEET_MS));
			measured.n8n.push(await measure(n8n, SAMPLE_FLEET_MS));
		}
		// Heap + external: n8n's route and the node both hold Buffers (the file) besides heap objects.
		const peak = (key: 'particle' | 'n8n') => median(measured[key].map((entry) => entry.peakLive)) / MB;
		const time = (key: 'particle' | 'n8n') => median(measured[key].map((entry) => entry.ms)).toFixed(0);
		const rows = measured.particle[0].result.rows;
		const label = `${devices} devices x a month hourly (${formatRows(rows)} rows), one file for all`;
		report(figures, {
			group: 'P4',
			name: `${label}: peak heap + external growth, the Particle node (Fleet Operator layout)`,
			value: peak('particle'),
			unit: 'MB',
			runs,
			baseline: { name: 'n8n: HTTP Request -> Split Out -> Convert to File', value: peak('n8n') },
			ratio: ratioOf(peak('particle'), peak('n8n')),
			target: '<= 1/3 of n8n\'s route',
			met: peak('particle') <= peak('n8n') * TARGET_FLEET_RATIO,
			note: `files: ${(measured.particle[0].result.bytes / MB).toFixed(2)} MB (node) and ${(measured.n8n[0].result.bytes / MB).toFixed(2)} MB (n8n); ${time('particle')} ms against ${time('n8n')} ms (both slowed alike by the GC sampling)`,
		});
	} finally {
		stopCloudProcess(cloud);
	}
}

/** `--device` or `--fleet` runs only that part (standalone runs); both by default. */
export async function run(options: BenchOptions, parts = process.argv.slice(2)): Promise<Figure[]> {
	if (!gc) throw new Error('P4 needs node --expose-gc');
	await useFilesystemBinaryData();
	const figures: Figure[] = [];
	const only = parts.find((part) => part === '--device' || part === '--fleet');
	if (only !== '--fleet') await deviceFiles(options, figures);
	if (only !== '--device') await fleetFile(options, figures);
	return figures;
}

runIfMain(module, run, 1_200_000);
