/**
 * Faults against a real n8n (issue #11): the fake cloud cuts, silences and refuses event streams, expires the product
 * token, rate-limits and fails function calls and the device list, and a Base URL redirects to another origin. Every
 * case is asserted on what reached the fake cloud (cloud.requests, the device's call log) and on what the example
 * workflows wrote to their files, never on the node's own account of it.
 *
 * Its own n8n (port 5808, broker 5809), fake cloud (4120), user folder and output folder, so it runs beside or after
 * demo.e2e.test.ts without sharing anything.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import type { RecordedRequest } from '../fake-cloud';
import { startDemo, type Demo } from '../demo/launcher';
import { CACHE_DIR } from '../demo/runtime';
import {
	ALERTS_FILE,
	EVENTS_FILE,
	LIVE_EVENT_PREFIX,
	PACKAGE,
	WEBHOOK_PATH,
	liveEvents,
	type DemoCredentialRef,
	type DemoWorkflow,
} from '../demo/workflows';
import { waitFor } from './wait';

const N8N_PORT = Number(process.env.E2E_FAULTS_N8N_PORT ?? 5808);
const CLOUD_PORT = Number(process.env.E2E_FAULTS_CLOUD_PORT ?? 4120);
const USER_FOLDER = join(CACHE_DIR, 'e2e-faults-user');
const OUTPUT = join(CACHE_DIR, 'e2e-faults-output');
/** The product live-events workflow writes here (a folder inside the one n8n may write to). */
const PRODUCT_OUTPUT = join(OUTPUT, 'product');
const REDIRECT_OUTPUT = join(OUTPUT, 'redirect');

const LIVE_EVENTS = 'Particle demo: live events';
const OFFLINE_ALERT = 'Particle demo: offline alert';
const CALL_FUNCTION = 'Particle demo: call a function from a webhook';
/** The stream the demo's live-events workflow opens (`/v1/devices/events/demo%2F`, decoded once per segment). */
const MINE_STREAM = `/v1/devices/events/${LIVE_EVENT_PREFIX}`;
/** The Particle Trigger's device list, and nothing else (not /v1/devices/events, not a function call). */
const DEVICE_LIST = /^\/v1\/devices$/;

/** The idle watchdog (15 s) plus the back-off after it; generous, because a wait that ends early is free. */
const REOPEN_TIMEOUT_MS = 30_000;
const WATCHDOG_REOPEN_TIMEOUT_MS = 45_000;
const EVENT_TIMEOUT_MS = 30_000;

let demo: Demo;
const say: string[] = [];
/** Event workflows that should hold one open stream each; healStreams() restores them between cases. */
const eventWorkflows = new Map<string, string>();
/** Two sandbox devices chosen before any of them is taken offline. */
let functionDevice: { id: string; name: string };
let pollDevice: { id: string; name: string };
/** cloud.requests index at which the 429 burst on the device list was armed (case 5, armed in beforeAll). */
let pollMark = 0;

function cloud(): NonNullable<Demo['cloud']> {
	if (!demo?.cloud) throw new Error('the fault tests run against the fake cloud');
	return demo.cloud;
}

function readIfThere(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function logSize(): number {
	try {
		return statSync(demo.n8n.logFile).size;
	} catch {
		return 0;
	}
}

/** The lines of n8n's log from a byte offset that say something about the Particle nodes or failed executions. */
function particleLogSince(offset: number, max = 12): string[] {
	let text = '';
	try {
		text = readFileSync(demo.n8n.logFile).subarray(offset).toString('utf8');
	} catch {
		return ['(no n8n log)'];
	}
	const lines = text
		.split('\n')
		.filter((line) => /particle|bridge|isolate|acquire|problem|error/i.test(line))
		.map((line) => line.slice(0, 400));
	const counted = new Map<string, number>();
	for (const line of lines) counted.set(line, (counted.get(line) ?? 0) + 1);
	return [...counted].slice(-max).map(([line, count]) => (count > 1 ? `${line}   (x${count})` : line));
}

/** waitFor, and on a timeout the n8n log lines since `logFrom` in the message: what the trigger said meanwhile. */
async function waitWithLog<T>(
	what: string,
	check: () => T | undefined | null | false,
	{ timeoutMs, logFrom }: { timeoutMs: number; logFrom: number },
): Promise<T> {
	try {
		return await waitFor(what, check, { timeoutMs });
	} catch (error) {
		const requests = cloud()
			.requests.slice(-6)
			.map((r) => `${r.method} ${r.path} -> ${r.status}`);
		throw new Error(
			`${(error as Error).message}\nLast requests the cloud saw:\n  ${requests.join('\n  ')}\nn8n log since the fault:\n  ${particleLogSince(logFrom).join('\n  ')}`,
		);
	}
}

/** Stream opens (GET on an events route) the cloud received from index `since` on. */
function streamOpens(routePrefix: string, since: number): RecordedRequest[] {
	return cloud()
		.requests.slice(since)
		.filter((request) => request.method === 'GET' && request.decodedPath.startsWith(routePrefix));
}

function bearerOf(request: RecordedRequest): string {
	const header = String(request.headers.authorization ?? '');
	return /^Bearer (\S+)$/.exec(header)?.[1] ?? '';
}

/** The token travels in the Authorization header only: never in the query or the path. */
function expectHeaderTokenOnly(requests: RecordedRequest[], token: string): void {
	expect(requests.length).toBeGreaterThan(0);
	for (const request of requests) {
		expect(request.headers.authorization).toBe(`Bearer ${token}`);
		expect(request.query.access_token).toBeUndefined();
		expect(JSON.stringify(request.query)).not.toContain(token);
		expect(request.path).not.toContain(token);
	}
}

function marker(label: string): string {
	return `faults-${label}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** How many lines of the file carry this event data (the workflows write it JSON-quoted). */
function countEvent(file: string, data: string): number {
	return readIfThere(file)
		.split('\n')
		.filter((line) => line.includes(JSON.stringify(data))).length;
}

async function publish(route: string, data: string): Promise<void> {
	const response = await fetch(`${cloud().url}${route}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${cloud().tokens.user}`, 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'demo/faults', data, private: true }),
	});
	expect(response.status).toBe(200);
}

/**
 * Publishes one event and expects exactly one line for it. A second event (the barrier) is published after it and
 * waited for: a duplicate of the first (a second reader, a replay) would have been written by then.
 */
async function expectEventRunsOnce(file: string, publishRoute: string, label: string): Promise<void> {
	const data = marker(label);
	const logFrom = logSize();
	await publish(publishRoute, data);
	await waitWithLog(`the event "${data}" in ${file}`, () => countEvent(file, data) > 0, { timeoutMs: EVENT_TIMEOUT_MS, logFrom });
	const barrier = marker(`${label}-barrier`);
	await publish(publishRoute, barrier);
	await waitWithLog(`the barrier event "${barrier}" in ${file}`, () => countEvent(file, barrier) > 0, { timeoutMs: EVENT_TIMEOUT_MS, logFrom });
	expect(countEvent(file, data)).toBe(1);
	expect(countEvent(file, barrier)).toBe(1);
}

interface WorkflowSummary {
	id: string;
	versionId: string;
}

async function createCredential(name: string, data: Record<string, unknown>): Promise<DemoCredentialRef> {
	const created = await demo.rest.call<{ id: string }>('POST', '/credentials', { name, type: 'particleApi', data });
	return { id: created.id, name };
}

/** Creates a workflow over REST (as the launcher does) and activates it when asked; activation errors are thrown. */
async function createWorkflow(workflow: DemoWorkflow, activate: boolean): Promise<WorkflowSummary> {
	const { id: _fixedId, active: _active, ...body } = workflow;
	const created = await demo.rest.call<WorkflowSummary>('POST', '/workflows', { ...body, active: false });
	if (activate) await demo.rest.call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
	return created;
}

async function reactivate(workflowId: string): Promise<void> {
	await demo.rest.call('POST', `/workflows/${workflowId}/deactivate`, {});
	const workflow = await demo.rest.call<WorkflowSummary>('GET', `/workflows/${workflowId}`);
	await demo.rest.call('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
}

/**
 * Each event case starts from healthy streams: when an earlier case left a trigger without its stream (as the bug
 * does), its workflows are deactivated and activated again, which opens fresh ones.
 */
async function healStreams(): Promise<void> {
	const expected = eventWorkflows.size;
	if (cloud().openStreams() === expected) return;
	say.push(`healStreams: ${cloud().openStreams()} open, ${expected} expected; reactivating the event workflows`);
	for (const id of eventWorkflows.values()) await reactivate(id);
	await waitFor(`${expected} open event stream(s) after reactivating the event workflows`, () => cloud().openStreams() === expected, {
		timeoutMs: 30_000,
	});
}

/**
 * n8n registers a production webhook a moment after the activation call returns. A GET on a POST-only webhook says
 * "not registered for GET requests" once it is there (and runs nothing), "is not registered" before.
 */
async function waitForWebhook(path: string): Promise<void> {
	await waitFor(
		`n8n to register the webhook POST /webhook/${path}`,
		async () => {
			const response = await fetch(`${demo.n8n.url}/webhook/${path}`, { signal: AbortSignal.timeout(5_000) });
			return (await response.text()).includes('not registered for GET');
		},
		{ timeoutMs: 30_000, everyMs: 250 },
	);
}

/**
 * n8n 2.41 publishes (activates) a workflow in the background and retries a failing trigger a few times; the outcome
 * is its publication status. Returns the trigger errors once it has failed (or partly failed), else undefined.
 */
async function activationFailureOf(workflowId: string): Promise<string | undefined> {
	const status = await demo.rest.call<{ status?: string; triggers?: Array<{ status?: string; errorMessage?: string | null }> }>(
		'GET',
		`/workflows/${workflowId}/publication-status`,
	);
	if (status.status !== 'failed' && status.status !== 'partial') return undefined;
	const errors = (status.triggers ?? []).filter((trigger) => trigger.status === 'failed').map((trigger) => trigger.errorMessage ?? '');
	return `publication ${status.status}: ${errors.join('; ').slice(0, 300)}`;
}

async function callWebhook(path: string, body: unknown): Promise<{ status: number; text: string }> {
	const response = await fetch(`${demo.n8n.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(120_000),
	});
	return { status: response.status, text: await response.text() };
}

interface ExecutionSummary {
	id: string;
	status: string;
	workflowId?: string;
}

async function executionsOf(workflowId: string): Promise<ExecutionSummary[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const answer = await demo.rest.call<unknown>('GET', `/executions?filter=${filter}&limit=50`);
	const list = Array.isArray(answer) ? answer : ((answer as { results?: unknown[] }).results ?? []);
	return (list as ExecutionSummary[]).filter((execution) => execution.workflowId === undefined || String(execution.workflowId) === workflowId);
}

/** Waits until the newest execution of a workflow has finished, and returns it. */
async function finishedExecution(workflowId: string, before: Set<string>): Promise<ExecutionSummary> {
	return await waitFor(
		`a finished execution of workflow ${workflowId}`,
		async () => (await executionsOf(workflowId)).find((execution) => !before.has(execution.id) && !['new', 'running', 'waiting'].includes(execution.status)),
		{ timeoutMs: 30_000, everyMs: 500 },
	);
}

function uniqueColor(deviceId: string): string {
	const calls = cloud().fleet.devices.get(deviceId)?.calls ?? [];
	for (let attempt = 0; attempt < 100; attempt++) {
		const color = `${randomInt(256)},${randomInt(256)},${randomInt(256)}`;
		if (!calls.some((call) => call.arg === color)) return color;
	}
	throw new Error('no unused colour in 100 tries');
}

function callsWith(deviceId: string, arg: string): number {
	return (cloud().fleet.devices.get(deviceId)?.calls ?? []).filter((call) => call.name === 'setColor' && call.arg === arg).length;
}

function deviceLists(since: number): RecordedRequest[] {
	return cloud()
		.requests.slice(since)
		.filter((request) => request.method === 'GET' && DEVICE_LIST.test(request.decodedPath));
}

/** A webhook (POST, answers with the last node) and Particle > Device > Get Many with the given credential. */
function getManyFromWebhook(name: string, path: string, credential: DemoCredentialRef): DemoWorkflow {
	return {
		id: `Faults${path.replace(/[^a-z]/gi, '').slice(0, 10)}`,
		name,
		active: false,
		nodes: [
			{
				id: `${path}-hook`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${randomBytes(4).toString('hex')}-0000-4000-8000-${randomBytes(6).toString('hex')}`,
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
			},
			{
				id: `${path}-list`,
				name: 'List My Devices',
				type: `${PACKAGE}.particle`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true, filters: {} },
				credentials: { particleApi: credential },
			},
		],
		connections: { Webhook: { main: [[{ node: 'List My Devices', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The demo's live-events workflow with another name, credential, output folder and trigger parameters. */
function liveEventsVariant(name: string, credential: DemoCredentialRef, outputDir: string, parameters: Record<string, unknown>): DemoWorkflow {
	const workflow = liveEvents({ credential, outputDir });
	workflow.id = `Faults${randomBytes(5).toString('hex')}`;
	workflow.name = name;
	workflow.active = false;
	const trigger = workflow.nodes.find((node) => node.type === `${PACKAGE}.particleEventTrigger`);
	if (!trigger) throw new Error('the live-events workflow has no event trigger');
	trigger.parameters = { ...trigger.parameters, ...parameters };
	return workflow;
}

interface SeenRequest {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: string;
}

interface TinyServer {
	url: string;
	seen: SeenRequest[];
	close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 (a random port: another origin) that records every request. */
async function tinyServer(answer: (request: SeenRequest, respond: (status: number, headers: Record<string, string>, body: string) => void) => void): Promise<TinyServer> {
	const seen: SeenRequest[] = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.setEncoding('utf8');
		req.on('data', (chunk: string) => {
			if (body.length < 10_000) body += chunk;
		});
		req.on('end', () => {
			const request = { method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, body };
			seen.push(request);
			answer(request, (status, headers, text) => {
				res.writeHead(status, headers);
				res.end(text);
			});
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

let redirectTarget: TinyServer | undefined;
let redirector: TinyServer | undefined;

beforeAll(async () => {
	rmSync(OUTPUT, { recursive: true, force: true });
	mkdirSync(PRODUCT_OUTPUT, { recursive: true });
	mkdirSync(REDIRECT_OUTPUT, { recursive: true });
	demo = await startDemo({
		n8nPort: N8N_PORT,
		cloudPort: CLOUD_PORT,
		churnMs: 0,
		fresh: true,
		userFolder: USER_FOLDER,
		outputDir: OUTPUT,
		skipBuild: process.env.E2E_SKIP_BUILD === 'true',
		say: (line) => say.push(line),
	});
	const liveId = demo.workflowIds.get(LIVE_EVENTS);
	if (!liveId) throw new Error('the demo did not import its live-events workflow');
	eventWorkflows.set(LIVE_EVENTS, liveId);
	await waitFor('the live-events trigger to open its stream at activation', () => cloud().openStreams() === 1, { timeoutMs: 30_000 });

	const online = cloud()
		.fleet.sandboxDevices()
		.filter((device) => device.online);
	if (online.length < 2) throw new Error('the demo fleet has too few online sandbox devices');
	functionDevice = { id: online[0].id, name: online[0].name };
	pollDevice = { id: online[1].id, name: online[1].name };

	// Case 5, the poll: armed now so its one poll cycle (n8n polls once a minute at best) passes while the other cases
	// run. Activation polled once already (the baseline); the next poll meets two 429s, then sees the device offline.
	await waitFor('the offline-alert trigger to have polled the device list at activation (its baseline)', () => deviceLists(0).some((r) => r.status === 200), {
		timeoutMs: 30_000,
	});
	pollMark = cloud().requests.length;
	cloud().injectFault({ method: 'GET', path: DEVICE_LIST, status: 429, headers: { 'Retry-After': '1' }, times: 2 });
	cloud().setOnline(pollDevice.id, false);

	// Case 6: A answers everything with a 307 to B, same path; B records what it gets and answers 404.
	redirectTarget = await tinyServer((_request, respond) => respond(404, { 'content-type': 'application/json' }, '{"error":"not_found"}'));
	const target = redirectTarget.url;
	redirector = await tinyServer((request, respond) => respond(307, { location: `${target}${request.url}` }, ''));
}, 20 * 60_000);

afterAll(async () => {
	await redirector?.close().catch(() => undefined);
	await redirectTarget?.close().catch(() => undefined);
	await demo?.stop();
}, 60_000);

describe('the Particle Event Trigger in a real n8n keeps its stream', () => {
	const mineFile = join(OUTPUT, EVENTS_FILE);

	it('1. the cloud cuts the stream: the trigger reopens it (Bearer header, no token in the URL) and a later event runs once', async () => {
		await healStreams();
		const mark = cloud().requests.length;
		const logFrom = logSize();
		cloud().dropStreams();
		const droppedAt = Date.now();
		await waitWithLog(`the reopen request: a GET on ${MINE_STREAM} reaching the cloud after the drop`, () => streamOpens(MINE_STREAM, mark).find((r) => r.status === 200), {
			timeoutMs: REOPEN_TIMEOUT_MS,
			logFrom,
		});
		expectHeaderTokenOnly(streamOpens(MINE_STREAM, mark), cloud().tokens.user);
		await waitFor('5 s since the drop', () => Date.now() - droppedAt >= 5_000, { timeoutMs: 10_000 });
		await waitFor('exactly one open stream per event workflow', () => cloud().openStreams() === eventWorkflows.size, { timeoutMs: 10_000 });
		await expectEventRunsOnce(mineFile, '/v1/devices/events', 'drop');
	}, 120_000);

	it('2. the stream falls silent: the watchdog reopens it, and after the silence an event runs once', async () => {
		await healStreams();
		const mark = cloud().requests.length;
		const logFrom = logSize();
		// Silence holds for new streams too (they get their first ":ok", then nothing): lift it as soon as the reopen
		// arrives, or the watchdog would take the new stream for dead as well.
		cloud().silenceStreams(true);
		try {
			await waitWithLog(
				`the watchdog's reopen: a GET on ${MINE_STREAM} reaching the cloud while the stream is silent`,
				() => streamOpens(MINE_STREAM, mark).find((r) => r.status === 200),
				{ timeoutMs: WATCHDOG_REOPEN_TIMEOUT_MS, logFrom },
			);
		} finally {
			cloud().silenceStreams(false);
		}
		expect(particleLogSince(logFrom, 50).join('\n')).toMatch(/silent for \d+ ms/);
		expectHeaderTokenOnly(streamOpens(MINE_STREAM, mark), cloud().tokens.user);
		await waitFor('exactly one open stream per event workflow', () => cloud().openStreams() === eventWorkflows.size, { timeoutMs: 10_000 });
		await expectEventRunsOnce(mineFile, '/v1/devices/events', 'silence');
	}, 150_000);

	it('3. the first reopen gets a 503: a later reopen succeeds and an event runs once', async () => {
		await healStreams();
		const mark = cloud().requests.length;
		const logFrom = logSize();
		// GET only: the events route also takes the publishes (POST).
		cloud().injectFault({ method: 'GET', path: '/v1/devices/events', status: 503, times: 1 });
		try {
			cloud().dropStreams();
			await waitWithLog(`a reopen on ${MINE_STREAM} answered 503`, () => streamOpens(MINE_STREAM, mark).find((r) => r.status === 503), {
				timeoutMs: REOPEN_TIMEOUT_MS,
				logFrom,
			});
			await waitWithLog(
				`a later reopen on ${MINE_STREAM} answered 200`,
				() => {
					const opens = streamOpens(MINE_STREAM, mark);
					return opens.slice(opens.findIndex((r) => r.status === 503) + 1).find((r) => r.status === 200);
				},
				{ timeoutMs: REOPEN_TIMEOUT_MS, logFrom },
			);
		} finally {
			await drainStreamFault(mark);
		}
		const opens = streamOpens(MINE_STREAM, mark);
		expect(opens[0].status).toBe(503);
		expectHeaderTokenOnly(opens, cloud().tokens.user);
		await waitFor('exactly one open stream per event workflow', () => cloud().openStreams() === eventWorkflows.size, { timeoutMs: 10_000 });
		await expectEventRunsOnce(mineFile, '/v1/devices/events', 'reopen-503');
	}, 120_000);

	it('4. product OAuth client: the reopen meets the expired token (401), n8n mints a new one, the stream reopens and an event runs once', async () => {
		await healStreams();
		const { clientId, clientSecret, productId } = cloud().productClient;
		const productStream = `/v1/products/${productId}/events`;
		const productFile = join(PRODUCT_OUTPUT, EVENTS_FILE);
		const credential = await createCredential('Particle API (product client, faults)', {
			authMode: 'oauthClient',
			clientId,
			clientSecret,
			expiresIn: 3600,
			baseUrl: cloud().url,
		});
		const activatedFrom = cloud().requests.length;
		const workflow = liveEventsVariant('Faults: product live events (OAuth client)', credential, PRODUCT_OUTPUT, {
			scope: 'product',
			product: { __rl: true, mode: 'id', value: String(productId) },
			eventName: LIVE_EVENT_PREFIX,
			options: {},
		});
		const created = await createWorkflow(workflow, true);
		eventWorkflows.set(workflow.name, created.id);
		const first = await waitFor(`the product stream opened at activation (GET ${productStream} answered 200)`, () => streamOpens(productStream, activatedFrom).find((r) => r.status === 200), {
			timeoutMs: 30_000,
		});
		const exchanges = cloud()
			.requests.slice(activatedFrom)
			.filter((r) => r.method === 'POST' && r.decodedPath === '/oauth/token' && r.status === 200);
		expect(exchanges.length).toBeGreaterThanOrEqual(1);
		expect(String(exchanges[0].headers.authorization)).toMatch(/^Basic /);
		expect(JSON.stringify(exchanges[0].query)).not.toContain(clientSecret);
		const oldToken = bearerOf(first);
		expect(oldToken).not.toBe('');
		expect(oldToken).not.toBe(cloud().tokens.user);
		await waitFor('exactly one open stream per event workflow', () => cloud().openStreams() === eventWorkflows.size, { timeoutMs: 10_000 });

		const mark = cloud().requests.length;
		const logFrom = logSize();
		cloud().expireToken(oldToken);
		cloud().dropStreams();
		const refused = await waitWithLog(`a reopen of ${productStream} answered 401 (the expired product token)`, () => streamOpens(productStream, mark).find((r) => r.status === 401), {
			timeoutMs: REOPEN_TIMEOUT_MS,
			logFrom,
		});
		expect(bearerOf(refused)).toBe(oldToken);
		const refusedAt = cloud().requests.indexOf(refused);
		const exchange = await waitWithLog(
			'a new token exchange (POST /oauth/token answered 200) after the 401',
			() =>
				cloud()
					.requests.slice(refusedAt + 1)
					.find((r) => r.method === 'POST' && r.decodedPath === '/oauth/token' && r.status === 200),
			{ timeoutMs: REOPEN_TIMEOUT_MS, logFrom },
		);
		expect(String(exchange.headers.authorization)).toMatch(/^Basic /);
		const reopened = await waitWithLog(
			`${productStream} reopened (200) with a new token after the exchange`,
			() => streamOpens(productStream, cloud().requests.indexOf(exchange) + 1).find((r) => r.status === 200),
			{ timeoutMs: REOPEN_TIMEOUT_MS, logFrom },
		);
		const newToken = bearerOf(reopened);
		expect(newToken).not.toBe('');
		expect(newToken).not.toBe(oldToken);
		for (const open of streamOpens(productStream, mark)) {
			expect(open.headers.authorization).toMatch(/^Bearer \S+$/);
			expect(open.query.access_token).toBeUndefined();
			expect(JSON.stringify(open.query)).not.toMatch(new RegExp(`${oldToken}|${newToken}`));
		}
		await waitFor('exactly one open stream per event workflow', () => cloud().openStreams() === eventWorkflows.size, { timeoutMs: 30_000 });
		await expectEventRunsOnce(productFile, `/v1/products/${productId}/events`, 'product-401');
	}, 150_000);
});

/** A 503 left in the fault queue (the reopen never came) would hit a later case: a GET of our own takes it. */
async function drainStreamFault(mark: number): Promise<void> {
	if (streamOpens('/v1/devices/events', mark).some((r) => r.status === 503)) return;
	const controller = new AbortController();
	try {
		const response = await fetch(`${cloud().url}/v1/devices/events/${encodeURIComponent(LIVE_EVENT_PREFIX)}`, {
			headers: { authorization: `Bearer ${cloud().tokens.user}` },
			signal: controller.signal,
		});
		say.push(`drained the unused 503 fault: ${response.status}`);
	} catch {
		// Aborted or refused: either way the fault is gone or was never there.
	} finally {
		controller.abort();
	}
}

describe('function calls and the poll under 429 and 500, in a real n8n', () => {
	const functionPath = () => `/v1/devices/${functionDevice.id}/setColor`;
	let webhookWorkflowId: string;

	beforeAll(() => {
		const id = demo.workflowIds.get(CALL_FUNCTION);
		if (!id) throw new Error('the demo did not import its webhook -> function workflow');
		webhookWorkflowId = id;
	});

	it('5a. Function > Call during a 429 burst (Retry-After: 1, twice): the call succeeds and the device ran it once', async () => {
		const arg = uniqueColor(functionDevice.id);
		cloud().injectFault({ method: 'POST', path: functionPath(), status: 429, headers: { 'Retry-After': '1' }, times: 2 });
		const mark = cloud().requests.length;
		const answer = await callWebhook(WEBHOOK_PATH, { device: functionDevice.id, function: 'setColor', argument: arg });
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text)).toMatchObject({ id: functionDevice.id, return_value: 1 });
		const posts = cloud()
			.requests.slice(mark)
			.filter((r) => r.method === 'POST' && r.decodedPath === functionPath());
		expect(posts.map((r) => r.status)).toEqual([429, 429, 200]);
		expect(callsWith(functionDevice.id, arg)).toBe(1);
	}, 60_000);

	it('5b. Function > Call after a 500: the webhook answers 502 with Particle\'s words, the cloud got one POST and the device ran nothing', async () => {
		const arg = uniqueColor(functionDevice.id);
		const before = new Set((await executionsOf(webhookWorkflowId)).map((execution) => execution.id));
		cloud().injectFault({ method: 'POST', path: functionPath(), status: 500, times: 1 });
		const mark = cloud().requests.length;
		const answer = await callWebhook(WEBHOOK_PATH, { device: functionDevice.id, function: 'setColor', argument: arg });
		// The example workflow handles the failure (Continue On Fail, then Respond to Webhook): the cloud behind it failed.
		expect(answer.status).toBe(502);
		expect(JSON.parse(answer.text)).toMatchObject({ ok: false, error: expect.stringMatching(/^The Particle Cloud failed to handle the request \(HTTP 500\)/) });
		const execution = await finishedExecution(webhookWorkflowId, before);
		expect(execution.status).toBe('success');
		const posts = cloud()
			.requests.slice(mark)
			.filter((r) => r.method === 'POST' && r.decodedPath === functionPath());
		expect(posts.map((r) => r.status)).toEqual([500]);
		expect(callsWith(functionDevice.id, arg)).toBe(0);
	}, 60_000);

	it('5c. Particle Trigger: a poll that meets two 429s (Retry-After: 1) still reports the offline device exactly once', async () => {
		const file = join(OUTPUT, ALERTS_FILE);
		const alertLines = () =>
			readIfThere(file)
				.split('\n')
				.filter((line) => line.includes(pollDevice.id));
		// Armed in beforeAll: one poll cycle, spent while the cases above ran.
		await waitFor(`an offline alert for ${pollDevice.id} in ${file}`, () => alertLines().length > 0, { timeoutMs: 150_000, everyMs: 1000 });
		const lists = deviceLists(pollMark);
		expect(lists.slice(0, 3).map((r) => r.status)).toEqual([429, 429, 200]);
		expect(lists[2].headers.authorization).toBe(`Bearer ${cloud().tokens.user}`);
		// The next poll sees the device still offline: no second alert.
		await waitFor('the poll after the alerting one (a later GET /v1/devices answered 200)', () => deviceLists(pollMark).filter((r) => r.status === 200).length >= 2, {
			timeoutMs: 90_000,
			everyMs: 1000,
		});
		const alertWorkflow = demo.workflowIds.get(OFFLINE_ALERT) ?? '';
		await waitFor('no offline-alert execution still running', async () => (await executionsOf(alertWorkflow)).every((e) => !['new', 'running'].includes(e.status)), {
			timeoutMs: 30_000,
			everyMs: 500,
		});
		expect(alertLines()).toHaveLength(1);
		expect(alertLines()[0]).toContain(`ALERT ${pollDevice.name} (${pollDevice.id}) went offline`);
	}, 200_000);
});

describe('no credential follows a redirect, in a real n8n', () => {
	const token = randomBytes(20).toString('hex');
	let redirectingCredential: DemoCredentialRef;

	const a = () => {
		if (!redirector) throw new Error('the redirecting server is not running');
		return redirector;
	};
	const b = () => {
		if (!redirectTarget) throw new Error('the redirect target is not running');
		return redirectTarget;
	};
	/** The requests B received from index `since` on that carry a credential header or name a secret. */
	const leaksToB = (since: number, secrets: string[]) =>
		b().seen.slice(since).filter(
			(request) =>
				request.headers.authorization !== undefined ||
				request.headers['proxy-authorization'] !== undefined ||
				secrets.some((secret) => request.url.includes(secret) || request.body.includes(secret) || JSON.stringify(request.headers).includes(secret)),
		);

	beforeAll(async () => {
		redirectingCredential = await createCredential('Particle API (redirecting base URL)', {
			authMode: 'accessToken',
			accessToken: token,
			baseUrl: a().url,
		});
	});

	it('6a. Particle > Device > Get Many: the request to A is not followed to B, and the execution fails', async () => {
		const path = 'particle-faults-redirect-token';
		const created = await createWorkflow(getManyFromWebhook('Faults: get many through a redirect (token)', path, redirectingCredential), true);
		await waitForWebhook(path);
		const seenByA = a().seen.length;
		const seenByB = b().seen.length;
		const answer = await callWebhook(path, {});
		expect(answer.status).toBeGreaterThanOrEqual(400);
		const execution = await finishedExecution(created.id, new Set());
		expect(execution.status).toBe('error');
		// A is the Base URL: the token may go there, and it did (the request was made).
		const toA = a().seen.slice(seenByA);
		expect(toA.some((request) => request.headers.authorization === `Bearer ${token}`)).toBe(true);
		expect(leaksToB(seenByB, [token])).toEqual([]);
		expect(b().seen.slice(seenByB)).toEqual([]);
	}, 60_000);

	it('6b. Particle Event Trigger: activation against A fails or reports an error; B never sees the token', async () => {
		const workflow = liveEventsVariant('Faults: live events through a redirect', redirectingCredential, REDIRECT_OUTPUT, {});
		const seenByA = a().seen.length;
		const seenByB = b().seen.length;
		let activationError: Error | undefined;
		const { id: _fixedId, active: _active, ...body } = workflow;
		const created = await demo.rest.call<WorkflowSummary>('POST', '/workflows', { ...body, active: false });
		try {
			await demo.rest.call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
		} catch (error) {
			activationError = error as Error;
		}
		try {
			await waitFor('the trigger to try A (a GET on its events route)', () => a().seen.slice(seenByA).some((r) => r.method === 'GET' && r.url.startsWith('/v1/devices/events')), {
				timeoutMs: 30_000,
			});
			// n8n may answer the activation call before its trigger gave up (it retries a failing trigger in the
			// background): wait until the failure is known, so a late request to B cannot slip past the checks.
			const activation = await waitFor(
				"the activation to fail (the activate call, or the workflow's publication status)",
				async () => (activationError ? `activate call failed: ${activationError.message.slice(0, 300)}` : await activationFailureOf(created.id)),
				{ timeoutMs: 60_000, everyMs: 500 },
			);
			say.push(`6b activation: ${activation}`);
			// The activation outcome rides along, so a failure shows it beside what B received.
			expect({ activation, leaks: leaksToB(seenByB, [token]) }).toEqual({ activation, leaks: [] });
			expect({ activation, seenByB: b().seen.slice(seenByB) }).toEqual({ activation, seenByB: [] });
		} finally {
			await demo.rest.call('POST', `/workflows/${created.id}/deactivate`, {}).catch(() => undefined);
		}
	}, 120_000);

	it('6c. Product OAuth client: the token exchange at A is not followed to B (no Basic auth, no secret there)', async () => {
		const clientId = `redirect-client-${randomBytes(3).toString('hex')}`;
		const clientSecret = randomBytes(20).toString('hex');
		const credential = await createCredential('Particle API (product client, redirecting base URL)', {
			authMode: 'oauthClient',
			clientId,
			clientSecret,
			expiresIn: 3600,
			baseUrl: a().url,
		});
		const path = 'particle-faults-redirect-oauth';
		const created = await createWorkflow(getManyFromWebhook('Faults: get many through a redirect (OAuth client)', path, credential), true);
		await waitForWebhook(path);
		const seenByA = a().seen.length;
		const seenByB = b().seen.length;
		const answer = await callWebhook(path, {});
		expect(answer.status).toBeGreaterThanOrEqual(400);
		const execution = await finishedExecution(created.id, new Set());
		expect(execution.status).toBe('error');
		const toA = a().seen.slice(seenByA);
		expect(toA.some((request) => request.method === 'POST' && request.url === '/oauth/token' && /^Basic /.test(String(request.headers.authorization)))).toBe(true);
		expect(leaksToB(seenByB, [clientSecret, Buffer.from(`${clientId}:${clientSecret}`).toString('base64')])).toEqual([]);
		expect(b().seen.slice(seenByB)).toEqual([]);
	}, 60_000);

	it("6d. n8n's credential test (the editor's \"Test\" button): against the fake cloud it passes; against A it fails and B sees nothing", async () => {
		const test = async (credential: DemoCredentialRef, data: Record<string, unknown>) =>
			await demo.rest.call<{ status: string; message?: string }>('POST', '/credentials/test', {
				credentials: { id: credential.id, name: credential.name, type: 'particleApi', data },
			});
		const good = { authMode: 'accessToken', accessToken: cloud().tokens.user, baseUrl: cloud().url };
		const working = await createCredential('Particle API (credential test, fake cloud)', good);
		const before = cloud().requests.length;
		expect(await test(working, good)).toMatchObject({ status: 'OK' });
		// The test signed its request in code (no expression) and sent it where the Base URL says.
		expect(cloud().requests.slice(before).map((request) => [request.path, request.authorization])).toEqual([
			['/v1/access_tokens/current', `Bearer ${cloud().tokens.user}`],
		]);

		const seenByB = b().seen.length;
		const redirected = { authMode: 'accessToken', accessToken: token, baseUrl: a().url };
		const answer = await test(redirectingCredential, redirected);
		expect(answer.status).not.toBe('OK');
		const clientSecret = randomBytes(20).toString('hex');
		const client = { authMode: 'oauthClient', clientId: 'redirect-test-client', clientSecret, expiresIn: 3600, baseUrl: a().url };
		const clientCredential = await createCredential('Particle API (credential test, product client, redirecting)', client);
		expect((await test(clientCredential, client)).status).not.toBe('OK');
		expect(leaksToB(seenByB, [token, clientSecret])).toEqual([]);
		expect(b().seen.slice(seenByB)).toEqual([]);
	}, 60_000);
});
