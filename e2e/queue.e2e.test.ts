/**
 * Queue mode (issue #13): n8n 2.41.1 as it is scaled in production, on 127.0.0.1 only. A private Postgres 15
 * cluster and a Redis (demo/services.ts), the fake cloud, then one n8n main (`n8n start`), one `n8n worker` and one
 * `n8n webhook` process, each with this package in its own user folder and one shared N8N_ENCRYPTION_KEY. The demo's
 * example workflows are created over the main's REST API, as `npm start` does.
 *
 * Where things run, as these tests check it: the Event Trigger's stream and the polling trigger live in the main
 * (the leader); every execution runs on the worker; production webhooks are answered by the webhook process only.
 * Assertions are on what the fake cloud saw (requests, open streams, the device's call log), on what the workflows
 * wrote, on Postgres (execution rows) and on the processes' logs and sockets, never on the node's own account.
 *
 * Ports: main 5818 (broker 5819), webhook process 5828 (5829), worker health 5838 (5839), fake cloud 4130,
 * Postgres 5442, Redis 6390. User folders and logs in .demo-cache/e2e-queue (kept for reading after a failure,
 * replaced on the next run); the Postgres and Redis data folders are temp folders, removed in afterAll.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startFakeCloud, type FakeCloud, type RecordedRequest } from '../fake-cloud';
import { DEMO_OWNER, ensureWorkflows, runBuild, upsertCredential } from '../demo/launcher';
import { installPackageInto, N8nRest, startN8n, type N8nOptions, type N8nProcess } from '../demo/n8n';
import { CACHE_DIR, ensureRuntime, REPO_ROOT, type Runtime } from '../demo/runtime';
import { queueModeEnvironment, startPostgres, startRedis, type Postgres, type Redis } from '../demo/services';
import {
	ALERTS_FILE,
	EVENTS_FILE,
	LIVE_EVENT_PREFIX,
	PACKAGE,
	WEBHOOK_PATH,
	demoWorkflows,
	webhookEvents,
	type DemoCredentialRef,
	type DemoWorkflow,
} from '../demo/workflows';
import { waitFor } from './wait';

const PORTS = {
	main: Number(process.env.E2E_QUEUE_MAIN_PORT ?? 5818),
	webhook: Number(process.env.E2E_QUEUE_WEBHOOK_PORT ?? 5828),
	worker: Number(process.env.E2E_QUEUE_WORKER_PORT ?? 5838),
	cloud: Number(process.env.E2E_QUEUE_CLOUD_PORT ?? 4130),
	postgres: Number(process.env.E2E_QUEUE_POSTGRES_PORT ?? 5442),
	redis: Number(process.env.E2E_QUEUE_REDIS_PORT ?? 6390),
};
const BASE = join(CACHE_DIR, 'e2e-queue');
const OUTPUT = join(BASE, 'output');
const ALERTS = join(OUTPUT, ALERTS_FILE);
const EVENTS = join(OUTPUT, EVENTS_FILE);

const OFFLINE_ALERT = 'Particle demo: offline alert';
const CALL_FUNCTION = 'Particle demo: call a function from a webhook';
const LIVE_EVENTS = 'Particle demo: live events';
const GET_DEVICE = 'Queue: get a device from a webhook';
const GET_DEVICE_PATH = 'particle-queue-get-device';
/** The stream the live-events workflow opens (`/v1/devices/events/demo%2F`, decoded once per segment). */
const MINE_STREAM = `/v1/devices/events/${LIVE_EVENT_PREFIX}`;
/** The Particle Trigger's device list, and nothing else. */
const DEVICE_LIST = /^\/v1\/devices$/;

/**
 * Bull's lock on a running job (n8n's default 60 s) and the stalled-job check (30 s), shortened so that the execution
 * of a killed worker is given up within a bounded wait; maxStalledCount stays n8n's 0 (never re-run).
 */
const QUEUE_LOCKS = { QUEUE_WORKER_LOCK_DURATION: '20000', QUEUE_WORKER_LOCK_RENEW_TIME: '5000', QUEUE_WORKER_STALLED_INTERVAL: '10000' };

type Role = 'main' | 'worker' | 'webhook';

const startedAt = Date.now();
const timings: Record<string, number> = {};
const notes: string[] = [];
const say = (line: string): void => void notes.push(line);

let runtime: Runtime;
let cloud: FakeCloud;
let postgres: Postgres | undefined;
let redis: Redis | undefined;
const n8n: Partial<Record<Role, N8nProcess>> = {};
let rest: N8nRest;
let credential: DemoCredentialRef;
let workflowIds: Map<string, string>;
const encryptionKey = randomBytes(24).toString('hex');

/** Sandbox devices, chosen while all four are online: one for function calls, three to take offline. */
let functionDevice: { id: string; name: string };
let offlineDevices: Array<{ id: string; name: string }>;
/** cloud.requests index after the offline-alert trigger's baseline poll; device A is taken offline there. */
let pollMark = 0;
/** How many polls (since pollMark) had run when device A's alert was written. */
let pollsAtFirstAlert = 0;

function proc(role: Role): N8nProcess {
	const running = n8n[role];
	if (!running) throw new Error(`the ${role} process is not running`);
	return running;
}

function workflowId(name: string): string {
	const id = workflowIds.get(name);
	if (!id || !/^[A-Za-z0-9]+$/.test(id)) throw new Error(`no workflow "${name}" (id ${id})`);
	return id;
}

function n8nOptions(role: Role): N8nOptions {
	const common = { ...queueModeEnvironment({ postgres: need(postgres), redis: need(redis), encryptionKey }), ...QUEUE_LOCKS };
	const base = {
		runtime,
		userFolder: join(BASE, role),
		owner: DEMO_OWNER,
		filesDir: OUTPUT,
		logFile: join(BASE, `${role}.log`),
		readyTimeoutMs: 180_000,
	};
	if (role === 'main') {
		return {
			...base,
			port: PORTS.main,
			command: 'start',
			env: {
				...common,
				// Production webhooks go to the webhook process only; the editor shows its URL.
				N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
				WEBHOOK_URL: `http://127.0.0.1:${PORTS.webhook}/`,
			},
		};
	}
	if (role === 'worker') {
		return {
			...base,
			port: PORTS.worker,
			readyPort: PORTS.worker,
			command: 'worker',
			args: ['--concurrency=5'],
			env: {
				...common,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(PORTS.worker),
				// The worker's server binds to :: unless told.
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			},
		};
	}
	return { ...base, port: PORTS.webhook, command: 'webhook', env: common };
}

function need<T>(value: T | undefined): T {
	if (value === undefined) throw new Error('a service is not running');
	return value;
}

/** Every process group started, to check at the end that none is left. */
const everyGroup = new Map<number, string>();

/** Like Promise.all, but waits for all, so that whatever did start is known (and stopped) when one fails. */
async function settled(starts: Array<Promise<unknown>>): Promise<void> {
	const failed = (await Promise.allSettled(starts)).find((result): result is PromiseRejectedResult => result.status === 'rejected');
	if (failed) throw failed.reason;
}

async function startRole(role: Role, label: string = role): Promise<N8nProcess> {
	const began = Date.now();
	const started = await startN8n(n8nOptions(role));
	n8n[role] = started;
	everyGroup.set(started.pid, label);
	timings[label] = Date.now() - began;
	return started;
}

async function stopRole(role: Role, label: string): Promise<void> {
	const began = Date.now();
	const running = n8n[role];
	await running?.stop();
	n8n[role] = undefined;
	timings[label] = Date.now() - began;
	if (running) say(`${label}: exit code ${await running.exited}`);
}

function readIfThere(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function logOf(role: Role): string {
	return readIfThere(join(BASE, `${role}.log`));
}

function marker(label: string): string {
	return `queue-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

function countEvent(data: string): number {
	return readIfThere(EVENTS)
		.split('\n')
		.filter((line) => line.includes(JSON.stringify(data))).length;
}

function alertLines(deviceId: string): string[] {
	return readIfThere(ALERTS)
		.split('\n')
		.filter((line) => line.includes(`(${deviceId})`));
}

async function publish(data: string): Promise<void> {
	const response = await fetch(`${cloud.url}/v1/devices/events`, {
		method: 'POST',
		headers: { authorization: `Bearer ${cloud.tokens.user}`, 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'demo/queue', data, private: true }),
	});
	expect(response.status).toBe(200);
}

function streamOpens(since: number): RecordedRequest[] {
	return cloud.requests.slice(since).filter((request) => request.method === 'GET' && request.decodedPath.startsWith(MINE_STREAM));
}

function deviceLists(since: number): RecordedRequest[] {
	return cloud.requests.slice(since).filter((request) => request.method === 'GET' && DEVICE_LIST.test(request.decodedPath) && request.status === 200);
}

function callsWith(deviceId: string, arg: string): number {
	return (cloud.fleet.devices.get(deviceId)?.calls ?? []).filter((call) => call.name === 'setColor' && call.arg === arg).length;
}

function uniqueColor(deviceId: string): string {
	const calls = cloud.fleet.devices.get(deviceId)?.calls ?? [];
	for (let attempt = 0; attempt < 100; attempt++) {
		const color = `${randomInt(256)},${randomInt(256)},${randomInt(256)}`;
		if (!calls.some((call) => call.arg === color)) return color;
	}
	throw new Error('no unused colour in 100 tries');
}

interface Answer {
	status: number;
	text: string;
}

/** POST to a production webhook on the given port; a failure to answer (refused, timed out) is status 0. */
async function callWebhook(port: number, path: string, body: unknown, timeoutMs = 60_000): Promise<Answer> {
	try {
		const response = await fetch(`http://127.0.0.1:${port}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		return { status: response.status, text: await response.text() };
	} catch (error) {
		return { status: 0, text: (error as Error).message };
	}
}

/** The webhook process serves a production webhook once the main has stored it: a GET on a POST-only path says so. */
async function waitForWebhook(path: string): Promise<void> {
	await waitFor(
		`the webhook process to serve POST /webhook/${path}`,
		async () => {
			const response = await fetch(`http://127.0.0.1:${PORTS.webhook}/webhook/${path}`, { signal: AbortSignal.timeout(5_000) });
			return (await response.text()).includes('not registered for GET');
		},
		{ timeoutMs: 30_000, everyMs: 250 },
	);
}

interface ExecutionRow {
	id: string;
	status: string;
	mode: string;
}

/** The workflow's executions, straight from Postgres (no REST paging, nothing cached). */
async function executionRows(name: string): Promise<ExecutionRow[]> {
	const out = await need(postgres).query(`select id, status, mode from execution_entity where "workflowId" = '${workflowId(name)}' order by id`);
	return out
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [id, status, mode] = line.split('|');
			return { id, status, mode };
		});
}

const UNFINISHED = new Set(['new', 'running', 'waiting', 'unknown']);

async function allFinished(name: string): Promise<ExecutionRow[] | false> {
	const rows = await executionRows(name);
	return rows.every((row) => !UNFINISHED.has(row.status)) && rows;
}

/** "Worker started execution <id> (job <n>)": n8n's worker logs each job it takes. */
function ranOnWorker(executionId: string): boolean {
	return logOf('worker').includes(`Worker started execution ${executionId} (job`);
}

async function expectAllRanOnWorker(rows: ExecutionRow[]): Promise<void> {
	await waitFor(`the worker's log to name executions ${rows.map((row) => row.id).join(', ')}`, () => rows.every((row) => ranOnWorker(row.id)), {
		timeoutMs: 15_000,
	});
	for (const row of rows) {
		expect(logOf('main')).not.toContain(`started execution ${row.id} `);
		expect(logOf('webhook')).not.toContain(`Worker started execution ${row.id} `);
	}
}

// ---- Sockets, from /proc: who holds a connection to the fake cloud, who listens where -----------------------------

interface TcpEntry {
	local: string;
	remote: string;
	state: string;
	inode: string;
}

function decodeAddress(hex: string): string {
	const [ip, port] = hex.split(':');
	const portNumber = parseInt(port, 16);
	const v4 = (h: string) => [6, 4, 2, 0].map((i) => parseInt(h.slice(i, i + 2), 16)).join('.');
	if (ip.length === 8) return `${v4(ip)}:${portNumber}`;
	if (ip.startsWith('0000000000000000FFFF0000')) return `${v4(ip.slice(24))}:${portNumber}`;
	if (/^0+$/.test(ip)) return `[::]:${portNumber}`;
	if (ip === '00000000000000000000000001000000') return `[::1]:${portNumber}`;
	return `[${ip}]:${portNumber}`;
}

function tcpEntries(): TcpEntry[] {
	const entries: TcpEntry[] = [];
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		for (const line of readIfThere(file).split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length < 10) continue;
			entries.push({ local: decodeAddress(fields[1]), remote: decodeAddress(fields[2]), state: fields[3], inode: fields[9] });
		}
	}
	return entries;
}

/** Socket inodes held by the processes of each group (PID of the group leader -> inodes). */
function socketsByGroup(groups: Map<number, string>): Map<string, Set<string>> {
	const sockets = new Map<string, Set<string>>();
	for (const label of groups.values()) sockets.set(label, new Set());
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		let pgid: number;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
		} catch {
			continue;
		}
		const label = groups.get(pgid);
		if (!label) continue;
		let fds: string[] = [];
		try {
			fds = readdirSync(`/proc/${entry}/fd`);
		} catch {
			continue;
		}
		for (const fd of fds) {
			try {
				const target = readlinkSync(`/proc/${entry}/fd/${fd}`);
				const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
				if (inode) sockets.get(label)?.add(inode);
			} catch {
				// Closed meanwhile.
			}
		}
	}
	return sockets;
}

/** Whether any process of the group with this label (in everyGroup) still exists. */
function groupAlive(label: string): boolean {
	const ids = new Set([...everyGroup].filter(([, name]) => name === label).map(([pgid]) => pgid));
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (ids.has(Number(fields[2])) && fields[0] !== 'Z') return true;
		} catch {
			// Gone meanwhile.
		}
	}
	return false;
}

function groups(): Map<number, string> {
	const map = new Map<number, string>();
	for (const role of ['main', 'worker', 'webhook'] as Role[]) {
		const running = n8n[role];
		if (running) map.set(running.pid, role);
	}
	if (postgres) map.set(postgres.pid, 'postgres');
	if (redis) map.set(redis.pid, 'redis');
	return map;
}

/** Established connections to the fake cloud, per process group. */
function cloudConnections(): Record<string, number> {
	const sockets = socketsByGroup(groups());
	const toCloud = tcpEntries().filter((entry) => entry.state === '01' && entry.remote === `127.0.0.1:${PORTS.cloud}`);
	const counts: Record<string, number> = {};
	for (const [label, inodes] of sockets) counts[label] = toCloud.filter((entry) => inodes.has(entry.inode)).length;
	return counts;
}

/** Listening TCP sockets, per process group. */
function listeners(): Record<string, string[]> {
	const sockets = socketsByGroup(groups());
	const listening = tcpEntries().filter((entry) => entry.state === '0A');
	const result: Record<string, string[]> = {};
	for (const [label, inodes] of sockets) result[label] = listening.filter((entry) => inodes.has(entry.inode)).map((entry) => entry.local).sort();
	return result;
}

/** The one stream is the main's: no other n8n process holds a connection to the cloud (idle keep-alives aside). */
async function expectStreamHeldByMainOnly(): Promise<void> {
	const held = await waitFor(
		'exactly one connection to the fake cloud, held by the main, and none by the worker or the webhook process',
		() => {
			const counts = cloudConnections();
			return counts.main === 1 && counts.worker === 0 && counts.webhook === 0 && counts;
		},
		{ timeoutMs: 30_000, everyMs: 500 },
	);
	expect(held).toMatchObject({ main: 1, worker: 0, webhook: 0 });
	expect(cloud.openStreams()).toBe(1);
}

/** Publishes one event and expects one line and one more execution; a barrier event after it catches a duplicate. */
async function expectEventRunsOnce(label: string): Promise<void> {
	const before = (await executionRows(LIVE_EVENTS)).length;
	const data = marker(label);
	await publish(data);
	await waitFor(`the event "${data}" in ${EVENTS}`, () => countEvent(data) > 0, { timeoutMs: 30_000 });
	const barrier = marker(`${label}-barrier`);
	await publish(barrier);
	await waitFor(`the barrier event "${barrier}" in ${EVENTS}`, () => countEvent(barrier) > 0, { timeoutMs: 30_000 });
	expect(countEvent(data)).toBe(1);
	expect(countEvent(barrier)).toBe(1);
	const rows = await waitFor('the live-events executions to finish', () => allFinished(LIVE_EVENTS), { timeoutMs: 30_000, everyMs: 500 });
	expect(rows.length - before).toBe(2);
	await expectAllRanOnWorker(rows.slice(before));
}

/** Webhook -> Particle > Device > Get for the device in the body (GET /v1/devices/:id: not the trigger's list). */
function getDeviceFromWebhook(settings: { credential: DemoCredentialRef }): DemoWorkflow {
	return {
		id: 'QueueGetDevice01',
		name: GET_DEVICE,
		active: true,
		nodes: [
			{
				id: 'queue-hook',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'c0ffee00-0000-4000-8000-queue0000001',
				parameters: { httpMethod: 'POST', path: GET_DEVICE_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'queue-get',
				name: 'Get the Device',
				type: `${PACKAGE}.particle`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox', device: { __rl: true, mode: 'id', value: '={{ $json.body.device }}' } },
				credentials: { particleApi: settings.credential },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Get the Device', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

async function stopEverything(): Promise<void> {
	const began = Date.now();
	// n8n first (they hold connections to Postgres and Redis), then the services, then the fake cloud.
	await Promise.all((['webhook', 'worker', 'main'] as Role[]).map(async (role) => await stopRole(role, `${role} stop at the end`).catch(() => undefined)));
	await redis?.stop().catch(() => undefined);
	await postgres?.stop().catch(() => undefined);
	await cloud?.close().catch(() => undefined);
	timings['stop everything'] = Date.now() - began;
}

beforeAll(async () => {
	try {
		if (process.env.E2E_SKIP_BUILD !== 'true') await runBuild(say);
		runtime = await ensureRuntime(say);
		rmSync(BASE, { recursive: true, force: true });
		mkdirSync(OUTPUT, { recursive: true });

		let began = Date.now();
		cloud = await startFakeCloud({ port: PORTS.cloud, devices: 6, products: 1, productDevices: 6, seed: 1 });
		timings['fake cloud'] = Date.now() - began;
		const time = async <T>(label: string, start: () => Promise<T>): Promise<T> => {
			const from = Date.now();
			const value = await start();
			timings[label] = Date.now() - from;
			return value;
		};
		// allSettled: when one fails, the other is still assigned, and stopped below.
		await settled([
			time('postgres', async () => (postgres = await startPostgres({ port: PORTS.postgres, logFile: join(BASE, 'postgres.log') }))),
			time('redis', async () => (redis = await startRedis({ port: PORTS.redis, logFile: join(BASE, 'redis.log') }))),
		]);
		for (const role of ['main', 'worker', 'webhook'] as Role[]) installPackageInto(join(BASE, role));

		// The main first: it runs the migrations on the empty database. Then the worker and the webhook process.
		await startRole('main', 'main (first start, migrations)');
		began = Date.now();
		await settled([startRole('worker'), startRole('webhook')]);
		timings['worker + webhook together'] = Date.now() - began;

		rest = new N8nRest(proc('main').url);
		await rest.login(DEMO_OWNER);
		credential = await upsertCredential(rest, { authMode: 'accessToken', accessToken: cloud.tokens.user, baseUrl: cloud.url });
		began = Date.now();
		workflowIds = await ensureWorkflows(rest, [...demoWorkflows({ credential, outputDir: OUTPUT }), getDeviceFromWebhook({ credential })], say);
		await waitFor('the live-events trigger to open its stream at activation', () => cloud.openStreams() === 1, { timeoutMs: 30_000 });
		await waitFor("the offline-alert trigger's baseline poll (GET /v1/devices answered 200)", () => deviceLists(0).length > 0, { timeoutMs: 30_000 });
		await Promise.all([waitForWebhook(WEBHOOK_PATH), waitForWebhook(GET_DEVICE_PATH)]);
		timings['workflows created and active'] = Date.now() - began;

		const online = cloud.fleet.sandboxDevices().filter((device) => device.online);
		if (online.length < 4) throw new Error(`the fleet has ${online.length} online sandbox devices; the tests need 4`);
		functionDevice = { id: online[0].id, name: online[0].name };
		offlineDevices = online.slice(1, 4).map((device) => ({ id: device.id, name: device.name }));
		// Armed now, so the poll that finds it (n8n polls once a minute at best) passes while the first cases run.
		pollMark = cloud.requests.length;
		cloud.setOnline(offlineDevices[0].id, false);
		timings['ready (from the start of the file)'] = Date.now() - startedAt;
	} catch (error) {
		await stopEverything();
		throw error;
	}
}, 15 * 60_000);

afterAll(async () => {
	await stopEverything();
	// Nothing of ours is left: no process in the groups, no listener on the ports.
	const left = tcpEntries().filter((entry) => entry.state === '0A' && Object.values(PORTS).some((port) => entry.local.endsWith(`:${port}`)));
	if (left.length > 0) notes.push(`still listening after stop: ${left.map((entry) => entry.local).join(', ')}`);
	if (postgres) everyGroup.set(postgres.pid, 'postgres');
	if (redis) everyGroup.set(redis.pid, 'redis');
	const alive = [...new Set(everyGroup.values())].filter((label) => groupAlive(label));
	notes.push(alive.length > 0 ? `process groups still alive after stop: ${alive.join(', ')}` : `all ${everyGroup.size} process groups gone after stop`);
	timings['whole file'] = Date.now() - startedAt;
	const report = { timings, notes };
	mkdirSync(join(REPO_ROOT, '.tmp'), { recursive: true });
	writeFileSync(join(REPO_ROOT, '.tmp', 'queue-e2e-report.json'), `${JSON.stringify(report, null, 2)}\n`);
	process.stdout.write(`\nqueue mode e2e, timings in ms:\n${Object.entries(timings).map(([label, ms]) => `  ${label}: ${ms}`).join('\n')}\n${notes.map((note) => `  note: ${note}`).join('\n')}\n`);
}, 120_000);

describe('n8n in queue mode: a main, a worker and a webhook process, with Postgres and Redis', () => {
	it('1. every process loads the package, and every server listens on 127.0.0.1 only', async () => {
		// The main: the node types the editor gets.
		const response = await fetch(`${proc('main').url}/types/nodes.json`, { headers: { cookie: rest.authCookie } });
		expect(response.status).toBe(200);
		const types = ((await response.json()) as Array<{ name: string }>).map((type) => type.name);
		expect(types).toEqual(expect.arrayContaining([`${PACKAGE}.particle`, `${PACKAGE}.particleTrigger`, `${PACKAGE}.particleEventTrigger`]));

		// The webhook process builds the workflow (n8n refuses a node type it has not loaded) and enqueues it; the worker
		// runs Particle > Device > Get, which only a worker that loaded the package can.
		const answer = await callWebhook(PORTS.webhook, GET_DEVICE_PATH, { device: functionDevice.id });
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text)).toMatchObject({ id: functionDevice.id, name: functionDevice.name });
		const rows = await waitFor('the get-device execution to finish', () => allFinished(GET_DEVICE), { timeoutMs: 30_000 });
		expect(rows.map((row) => [row.status, row.mode])).toEqual([['success', 'webhook']]);
		await expectAllRanOnWorker(rows);

		const listening = listeners();
		say(`listening: ${JSON.stringify(listening)}`);
		for (const role of ['main', 'worker', 'webhook', 'postgres', 'redis']) expect(listening[role]?.length ?? 0).toBeGreaterThan(0);
		for (const addresses of Object.values(listening)) for (const address of addresses) expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
		expect(listening.main).toEqual(expect.arrayContaining([`127.0.0.1:${PORTS.main}`]));
		expect(listening.webhook).toEqual(expect.arrayContaining([`127.0.0.1:${PORTS.webhook}`]));
		expect(listening.worker).toEqual(expect.arrayContaining([`127.0.0.1:${PORTS.worker}`]));
	}, 90_000);

	it('2. webhook -> Function > Call: answered through the webhook process, run on the worker, the device ran it once', async () => {
		const arg = uniqueColor(functionDevice.id);
		const before = (await executionRows(CALL_FUNCTION)).length;
		const answer = await callWebhook(PORTS.webhook, WEBHOOK_PATH, { device: functionDevice.id, function: 'setColor', argument: arg });
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text)).toMatchObject({ id: functionDevice.id, return_value: 1 });
		expect(callsWith(functionDevice.id, arg)).toBe(1);

		const rows = (await waitFor('the function-call execution to finish', () => allFinished(CALL_FUNCTION), { timeoutMs: 30_000 })).slice(before);
		expect(rows.map((row) => row.status)).toEqual(['success']);
		await expectAllRanOnWorker(rows);
		// The execution's data, over the main's REST API: the node's output with the device's return value.
		const execution = await rest.call<{ status: string; data: string }>('GET', `/executions/${rows[0].id}`);
		expect(execution.status).toBe('success');
		expect(execution.data).toContain('Call the Function');
		expect(execution.data).toContain(arg);

		// The main serves no production webhook (N8N_DISABLE_PRODUCTION_MAIN_PROCESS): nothing runs through it.
		const other = uniqueColor(functionDevice.id);
		const viaMain = await callWebhook(PORTS.main, WEBHOOK_PATH, { device: functionDevice.id, function: 'setColor', argument: other });
		say(`webhook via the main's port: ${viaMain.status} ${viaMain.text.slice(0, 120)}`);
		expect(viaMain.status).toBe(404);
		expect(callsWith(functionDevice.id, other)).toBe(0);
	}, 90_000);

	it('3. N published events make exactly N executions, on the worker; one stream, held by the main (the leader)', async () => {
		const N = 5;
		const before = (await executionRows(LIVE_EVENTS)).length;
		const data = Array.from({ length: N }, (_, i) => marker(`n${i}`));
		for (const item of data) await publish(item);
		await waitFor(`${N} events in ${EVENTS}`, () => data.every((item) => countEvent(item) > 0), { timeoutMs: 30_000 });
		const barrier = marker('n-barrier');
		await publish(barrier);
		await waitFor(`the barrier event in ${EVENTS}`, () => countEvent(barrier) > 0, { timeoutMs: 30_000 });
		expect(data.map(countEvent)).toEqual(data.map(() => 1));

		const rows = await waitFor('the live-events executions to finish', () => allFinished(LIVE_EVENTS), { timeoutMs: 30_000, everyMs: 500 });
		const fresh = rows.slice(before);
		expect(fresh).toHaveLength(N + 1);
		expect(fresh.every((row) => row.status === 'success' && row.mode === 'trigger')).toBe(true);
		await expectAllRanOnWorker(fresh);

		// One stream, opened once since the start (the activation), and held by the main's process group.
		expect(streamOpens(0).filter((request) => request.status === 200)).toHaveLength(1);
		await expectStreamHeldByMainOnly();
	}, 120_000);

	it('4. a dropped stream resumes: the main reopens it and the next event runs exactly once', async () => {
		const mark = cloud.requests.length;
		cloud.dropStreams();
		await waitFor(`the reopen: a GET on ${MINE_STREAM} answered 200 after the drop`, () => streamOpens(mark).some((request) => request.status === 200), {
			timeoutMs: 30_000,
		});
		await waitFor('one open stream', () => cloud.openStreams() === 1, { timeoutMs: 10_000 });
		expect(streamOpens(mark).filter((request) => request.status === 200)).toHaveLength(1);
		await expectStreamHeldByMainOnly();
		await expectEventRunsOnce('after-drop');
	}, 120_000);

	it('5. an offline device makes one alert (the polling trigger on the main, the alert run on the worker)', async () => {
		const [deviceA] = offlineDevices;
		await waitFor(`an offline alert for ${deviceA.id} in ${ALERTS}`, () => alertLines(deviceA.id).length > 0, { timeoutMs: 150_000, everyMs: 1000 });
		// The polls after this one see A still offline and must not alert again: case 6 checks that over two more polls
		// (the restarted main's first and a scheduled one), rather than waiting a minute here for one.
		pollsAtFirstAlert = deviceLists(pollMark).length;
		const rows = await waitFor('no offline-alert execution still running', () => allFinished(OFFLINE_ALERT), { timeoutMs: 30_000, everyMs: 500 });
		expect(alertLines(deviceA.id)).toHaveLength(1);
		expect(alertLines(deviceA.id)[0]).toContain(`ALERT ${deviceA.name} (${deviceA.id}) went offline`);
		expect(rows.map((row) => row.status)).toEqual(['success']);
		await expectAllRanOnWorker(rows);
	}, 240_000);

	it('6. restarting the main and the worker loses no state and doubles no alert (static data in Postgres); every offline device alerts exactly once', async () => {
		const [deviceA, deviceB, deviceC] = offlineDevices;
		expect(alertLines(deviceA.id)).toHaveLength(1);
		await Promise.all([stopRole('main', 'main stop'), stopRole('worker', 'worker stop')]);
		// The stream was the main's: with the main gone, nobody holds one (the webhook process does not take over).
		await waitFor('no open stream while the main is down', () => cloud.openStreams() === 0, { timeoutMs: 15_000 });
		// While the main is down: an event (a stream has no replay: it is lost) and a device going offline (the
		// polling trigger compares with the fleet it saved in Postgres, so it catches this up).
		const lost = marker('while-main-down');
		await publish(lost);
		cloud.setOnline(deviceB.id, false);

		const began = Date.now();
		await settled([startRole('main', 'main restart'), startRole('worker', 'worker restart')]);
		timings['main + worker restart together'] = Date.now() - began;
		await rest.login(DEMO_OWNER);
		await waitFor('the restarted main to reopen the stream', () => cloud.openStreams() === 1, { timeoutMs: 60_000 });
		await expectStreamHeldByMainOnly();

		await waitFor(`an offline alert for ${deviceB.id} (offline while the main was down)`, () => alertLines(deviceB.id).length > 0, {
			timeoutMs: 150_000,
			everyMs: 1000,
		});
		// A change after the restart alerts once too, on the next poll, which also sees A and B still offline.
		cloud.setOnline(deviceC.id, false);
		await waitFor(`an offline alert for ${deviceC.id} (offline after the restart)`, () => alertLines(deviceC.id).length > 0, {
			timeoutMs: 150_000,
			everyMs: 1000,
		});
		const rows = await waitFor('no offline-alert execution still running', () => allFinished(OFFLINE_ALERT), { timeoutMs: 30_000, everyMs: 500 });
		expect([deviceA, deviceB, deviceC].map((device) => alertLines(device.id).length)).toEqual([1, 1, 1]);
		// A was seen offline by at least two polls after its alert, B by at least one (the one that alerted C).
		expect(deviceLists(pollMark).length).toBeGreaterThanOrEqual(pollsAtFirstAlert + 2);
		expect(rows.every((row) => row.status === 'success')).toBe(true);
		expect(rows).toHaveLength(3);
		await expectAllRanOnWorker(rows);

		// The restarted worker runs function calls once; the stream delivers events once.
		const arg = uniqueColor(functionDevice.id);
		const answer = await callWebhook(PORTS.webhook, WEBHOOK_PATH, { device: functionDevice.id, function: 'setColor', argument: arg });
		expect(answer.status).toBe(200);
		expect(callsWith(functionDevice.id, arg)).toBe(1);
		await expectEventRunsOnce('after-restart');
		say(`event published while the main was down: written ${countEvent(lost)} time(s) (a stream has no replay)`);
	}, 420_000);

	it('7. killing a worker mid-run: every call answered 200 ran exactly once, the one in flight ran at most once and is not re-run', async () => {
		const functionPath = `/v1/devices/${functionDevice.id}/setColor`;
		const [inFlight, queued, after] = [uniqueColor(functionDevice.id), uniqueColor(functionDevice.id), uniqueColor(functionDevice.id)];
		const call = (arg: string, timeoutMs?: number) =>
			callWebhook(PORTS.webhook, WEBHOOK_PATH, { device: functionDevice.id, function: 'setColor', argument: arg }, timeoutMs);
		const before = (await executionRows(CALL_FUNCTION)).length;

		// The device takes 8 s to answer this one call: long enough to kill the worker while it waits.
		cloud.injectFault({ method: 'POST', path: functionPath, delayMs: 8_000, times: 1 });
		const mark = cloud.requests.length;
		const inFlightAnswer = call(inFlight, 240_000);
		await waitFor('the in-flight call to reach the device (its POST at the fake cloud)', () =>
			cloud.requests.slice(mark).some((request) => request.method === 'POST' && request.decodedPath === functionPath && request.rawBody.includes(inFlight)),
		{ timeoutMs: 30_000 });
		const worker = proc('worker');
		worker.kill('SIGKILL');
		const killedAt = Date.now();
		await waitFor('the killed worker to be gone', () => worker.exited.then(() => true), { timeoutMs: 10_000 });
		await stopRole('worker', 'killed worker cleanup');

		// A call made while no worker runs waits in Redis; it is not answered until a worker has run it.
		const queuedAnswer = call(queued, 240_000);
		await waitFor('both executions in Postgres, neither finished', async () => {
			const rows = (await executionRows(CALL_FUNCTION)).slice(before);
			return rows.length === 2 && rows.every((row) => UNFINISHED.has(row.status)) && rows;
		}, { timeoutMs: 30_000, everyMs: 250 });

		await startRole('worker', 'worker start after SIGKILL');
		const queuedResult = await queuedAnswer;
		expect(queuedResult.status).toBe(200);
		expect(callsWith(functionDevice.id, queued)).toBe(1);

		// The in-flight execution: with maxStalledCount 0 the new worker's stalled-job check fails it; it is never re-run.
		const rows = await waitFor(
			'the in-flight execution to be given up (a final status in Postgres)',
			async () => {
				const all = (await executionRows(CALL_FUNCTION)).slice(before);
				return all.every((row) => !UNFINISHED.has(row.status)) && all;
			},
			{ timeoutMs: 180_000, everyMs: 1000 },
		);
		timings['killed execution given up, after the kill'] = Date.now() - killedAt;
		let timer: NodeJS.Timeout | undefined;
		const inFlightResult = await Promise.race([
			inFlightAnswer,
			new Promise<Answer>((resolve) => (timer = setTimeout(() => resolve({ status: -1, text: 'no answer 15 s after the execution was given up' }), 15_000))),
		]);
		clearTimeout(timer);
		say(`in-flight call: answered ${inFlightResult.status} ${inFlightResult.text.slice(0, 160)}; executions ${JSON.stringify(rows)}; device ran it ${callsWith(functionDevice.id, inFlight)} time(s)`);

		// A barrier through the new worker: after it, a late re-run of the in-flight call would have shown.
		const barrier = await call(after);
		expect(barrier.status).toBe(200);
		expect(callsWith(functionDevice.id, after)).toBe(1);

		const outcomes = [
			{ arg: inFlight, status: inFlightResult.status },
			{ arg: queued, status: queuedResult.status },
			{ arg: after, status: barrier.status },
		].map(({ arg, status }) => ({ status, ran: callsWith(functionDevice.id, arg) }));
		for (const outcome of outcomes) {
			// Acknowledged (200): exactly once. Not acknowledged: at most once, never twice.
			if (outcome.status === 200) expect(outcome).toEqual({ status: 200, ran: 1 });
			else expect(outcome.ran).toBeLessThanOrEqual(1);
		}
		// The in-flight execution failed; it did not succeed on a second run.
		expect(inFlightResult.status).not.toBe(200);
		expect(rows.map((row) => row.status)).toEqual([expect.stringMatching(/^(crashed|error)$/), 'success']);
		expect(ranOnWorker(rows[1].id)).toBe(true);
	}, 420_000);

	it('8. Particle Webhook Trigger: activated on the main, one integration aimed at the webhook process; a delivered event runs once, on the worker; no secret, no run; deactivated, gone', async () => {
		const file = 'webhook-events.log';
		const prefix = 'queue/hook';
		const sandboxIntegrations = async () =>
			(await (await fetch(`${cloud.url}/v1/integrations`, { headers: { authorization: `Bearer ${cloud.tokens.user}` } })).json()) as Array<{ id: string; url: string; event: string }>;
		const { id: _fixedId, active: _active, ...body } = webhookEvents({ credential, outputDir: OUTPUT }, prefix, file);
		const created = await rest.call<{ id: string; versionId: string }>('POST', '/workflows', { ...body, active: false });
		await rest.call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
		// Activation (on the main) made exactly one integration, for the prefix, at the webhook process's URL.
		const integrations = await waitFor('the integration made at activation', async () => {
			const listed = (await sandboxIntegrations()).filter((integration) => integration.event === prefix);
			return listed.length > 0 && listed;
		}, { timeoutMs: 30_000, everyMs: 250 });
		expect(integrations).toHaveLength(1);
		const target = new URL(integrations[0].url);
		expect(target.origin).toBe(`http://127.0.0.1:${PORTS.webhook}`);
		const rows = async () =>
			(await need(postgres).query(`select id, status from execution_entity where "workflowId" = '${created.id}' order by id`)).split('\n').filter(Boolean);

		// Without the secret header: 401, and nothing runs.
		const forged = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'event=queue/hook&data=forged&coreid=x&published_at=2026-01-01T00:00:00Z' });
		expect(forged.status).toBe(401);

		// Particle (the fake) delivers a published event to the webhook process; the worker runs it, once.
		const data = marker('hook');
		const published = await fetch(`${cloud.url}/v1/devices/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${cloud.tokens.user}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: `${prefix}/reading`, data, private: true }),
		});
		expect(published.status).toBe(200);
		const lines = () => readIfThere(join(OUTPUT, file)).split('\n').filter((line) => line.includes(data));
		await waitFor(`the delivered event in ${file}`, () => lines().length > 0, { timeoutMs: 60_000 });
		await cloud.webhooksSettled();
		const finished = await waitFor('its execution to finish', async () => {
			const all = await rows();
			return all.length > 0 && all.every((row) => row.endsWith('|success')) && all;
		}, { timeoutMs: 30_000, everyMs: 250 });
		expect(finished).toHaveLength(1);
		expect(lines()).toHaveLength(1);
		expect(ranOnWorker(finished[0].split('|')[0])).toBe(true);
		const deliveries = cloud.webhookDeliveries().filter((delivery) => delivery.integrationId === integrations[0].id);
		expect(deliveries.map((delivery) => delivery.state)).toEqual(['delivered']);

		// Deactivated: the integration is deleted.
		await rest.call('POST', `/workflows/${created.id}/deactivate`, {});
		await waitFor('the integration deleted at deactivation', async () => (await sandboxIntegrations()).every((integration) => integration.event !== prefix), {
			timeoutMs: 30_000,
			everyMs: 250,
		});
	}, 240_000);
});
