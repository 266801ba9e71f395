/**
 * The demo in one call: build, the fake Particle Cloud with a living fleet, Node 24 + n8n from the cache, this package
 * installed into n8n, an owner, a "Particle API" credential and the example workflows. `npm start` and the
 * end-to-end tests both start it through `startDemo()`, so the tests prove what users run.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startFakeCloud, type FakeCloud } from '../fake-cloud';
import { keepFleetState, type FleetStateKeeper } from '../fake-cloud/persist';
import { DEFAULT_CHANGE_EVERY_MS } from '../fake-cloud/script';
import { installPackageInto, N8nRest, startN8n, type N8nProcess, type Owner } from './n8n';
import { busyPorts, explainBusyPorts } from './ports';
import { checkRealCloudToken } from './realCloud';
import { CACHE_DIR, ensureRuntime, formatDuration, REPO_ROOT, type Runtime } from './runtime';
import { demoWorkflows, type DemoCredentialRef, type DemoWorkflow } from './workflows';

export const DEMO_OWNER: Owner = {
	email: 'demo@example.com',
	password: 'Particle-Demo-1',
	firstName: 'Fleet',
	lastName: 'Operator',
};

export const CREDENTIAL_NAME = 'Particle API (demo)';

/** The real Particle Cloud instead of the fake: a token of yours, from the environment. */
export interface RealCloud {
	accessToken: string;
	baseUrl: string;
}

export interface DemoOptions {
	n8nPort?: number;
	cloudPort?: number;
	/** Set to use the real Particle Cloud; the fake cloud is not started. */
	realCloud?: RealCloud;
	/**
	 * Mean milliseconds between online/offline changes on the fake cloud (default 2 minutes; readings come every 5 s
	 * regardless); 0 keeps the fleet still (tests).
	 */
	churnMs?: number;
	/** Milliseconds between readings (`demo/temperature`, one per group of devices); default 5000. */
	readingMs?: number;
	/** n8n's user folder; kept between runs so your own workflows stay. */
	userFolder?: string;
	/** Start from an empty n8n (tests). */
	fresh?: boolean;
	/** Where the example workflows write alerts, events and CSV files. */
	outputDir?: string;
	/** Skip `npm run build` (tests that just built). */
	skipBuild?: boolean;
	say?: (line: string) => void;
	/** Aborting stops whatever has started and makes `startDemo` reject (Ctrl-C or SIGTERM during the start). */
	signal?: AbortSignal;
}

/** The demo refused to start, and says why and what to do; nothing was left running. */
export class DemoCannotStart extends Error {}

/** How a demo workflow that should be active stands in n8n after the start. */
export type ActivationState =
	| { state: 'active' }
	| { state: 'failed'; error: string }
	/** The workflow is not active in n8n (someone turned it off). */
	| { state: 'off' }
	/** n8n had not settled it within the wait; `status` is what it last said. */
	| { state: 'pending'; status: string };

export interface DemoWorkflowState {
	name: string;
	id: string;
	activation: ActivationState;
}

/** The demo fleet's file beside n8n's database, so `--fresh` forgets both together. */
export const FLEET_STATE_FILE = 'fleet-state.json';

export interface Demo {
	n8n: N8nProcess;
	runtime: Runtime;
	rest: N8nRest;
	/** Absent with the real cloud. */
	cloud?: FakeCloud;
	/** The real cloud's Base URL, with `--real-cloud`. */
	realCloudUrl?: string;
	credential: DemoCredentialRef;
	/** Workflow ID by demo workflow name. */
	workflowIds: Map<string, string>;
	/** The demo workflows meant to be active, and whether n8n could activate them. */
	activations: DemoWorkflowState[];
	/** An online device for the banner's example call: on the fake cloud one the fleet script never takes offline. */
	exampleDevice?: { id: string; name: string };
	/** Where the fake fleet's state is kept, and whether this start continued from it. */
	fleetState?: { file: string; loaded: FleetStateKeeper['loaded'] };
	outputDir: string;
	stop(): Promise<void>;
}

export function runBuild(say: (line: string) => void, signal?: AbortSignal): Promise<void> {
	say('Building the package (npm run build)');
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], signal });
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (exit code ${code})`))));
	});
}

/** Newest (or oldest) modification time of the files under `path`; undefined when there are none. */
function mtimeOf(path: string, pick: (a: number, b: number) => number): number | undefined {
	let found: number | undefined;
	const visit = (entry: string): void => {
		let info;
		try {
			info = statSync(entry);
		} catch {
			return;
		}
		if (info.isDirectory()) {
			for (const child of readdirSync(entry)) visit(join(entry, child));
		} else {
			found = found === undefined ? info.mtimeMs : pick(found, info.mtimeMs);
		}
	};
	visit(path);
	return found;
}

/**
 * Whether dist/ was built after the last change to what goes into it. `npm run build` empties dist/ first, so its
 * oldest file is the time of the last build.
 */
export function distIsCurrent(root = REPO_ROOT): boolean {
	const built = mtimeOf(join(root, 'dist'), Math.min);
	if (built === undefined) return false;
	const inputs = ['nodes', 'credentials', 'icons', 'package.json', 'tsconfig.json', 'gulpfile.js', 'index.js'];
	const changed = inputs.map((input) => mtimeOf(join(root, input), Math.max) ?? 0);
	return Math.max(...changed) < built;
}

interface CredentialSummary {
	id: string;
	name: string;
	type: string;
}

interface WorkflowSummary {
	id: string;
	name: string;
	active: boolean;
	versionId: string;
}

/** n8n 2.41 activates ("publishes") in the background; this is what `GET /rest/workflows/:id/publication-status` says. */
interface PublicationStatus {
	status?: string;
	triggers?: Array<{ status?: string; errorMessage?: string | null }>;
}

export async function upsertCredential(rest: N8nRest, data: Record<string, string>): Promise<DemoCredentialRef> {
	const existing = (await rest.call<CredentialSummary[]>('GET', '/credentials')).find(
		(credential) => credential.name === CREDENTIAL_NAME && credential.type === 'particleApi',
	);
	const body = { name: CREDENTIAL_NAME, type: 'particleApi', data };
	if (existing) {
		// The fake cloud's port or your token may have changed since the last run.
		await rest.call('PATCH', `/credentials/${existing.id}`, body);
		return { id: existing.id, name: CREDENTIAL_NAME };
	}
	const created = await rest.call<CredentialSummary>('POST', '/credentials', body);
	return { id: created.id, name: CREDENTIAL_NAME };
}

/** Creates the example workflows that are missing; ones already there are yours to change and are left alone. */
export async function ensureWorkflows(rest: N8nRest, workflows: DemoWorkflow[], say: (line: string) => void): Promise<Map<string, string>> {
	const existing = await rest.call<WorkflowSummary[]>('GET', '/workflows');
	const ids = new Map<string, string>();
	for (const workflow of workflows) {
		const found = existing.find((candidate) => candidate.name === workflow.name);
		if (found) {
			ids.set(workflow.name, found.id);
			continue;
		}
		const { id: _fixedId, active, ...body } = workflow;
		const created = await rest.call<WorkflowSummary>('POST', '/workflows', { ...body, active: false });
		ids.set(workflow.name, created.id);
		say(`  imported "${workflow.name}"`);
		// A trigger that cannot start is reported by activationStates(), not a reason to stop the whole demo.
		if (active) await rest.call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId }).catch(() => undefined);
	}
	return ids;
}

/**
 * Waits (at most `timeoutMs`) until n8n has settled each workflow that should be active: activated, failed with
 * the trigger's error, or off. n8n retries a failed trigger later by itself; the demo reports the first outcome.
 */
export async function activationStates(
	rest: N8nRest,
	workflows: Array<{ name: string; id: string }>,
	timeoutMs = 45_000,
): Promise<DemoWorkflowState[]> {
	const deadline = Date.now() + timeoutMs;
	const settle = async ({ name, id }: { name: string; id: string }): Promise<DemoWorkflowState> => {
		let last = 'unknown';
		for (;;) {
			const workflow = await rest.call<WorkflowSummary>('GET', `/workflows/${id}`);
			if (!workflow.active) return { name, id, activation: { state: 'off' } };
			const publication = await rest.call<PublicationStatus>('GET', `/workflows/${id}/publication-status`);
			last = publication.status ?? 'unknown';
			if (last === 'published') return { name, id, activation: { state: 'active' } };
			if (last === 'failed' || last === 'partial') {
				const errors = (publication.triggers ?? [])
					.filter((trigger) => trigger.status === 'failed')
					.map((trigger) => trigger.errorMessage ?? 'no message')
					.join('; ');
				return { name, id, activation: { state: 'failed', error: errors || `publication ${last}` } };
			}
			if (Date.now() > deadline) return { name, id, activation: { state: 'pending', status: last } };
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	};
	return Promise.all(workflows.map(settle));
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
	const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
	const n8nPort = options.n8nPort ?? 5678;
	const cloudPort = options.cloudPort ?? 4010;
	const userFolder = options.userFolder ?? join(CACHE_DIR, 'user');
	const outputDir = options.outputDir ?? join(REPO_ROOT, 'demo-output');
	const { signal } = options;
	const stops: Array<() => Promise<void>> = [];
	const stop = async (): Promise<void> => {
		for (const step of stops.reverse()) await step().catch(() => undefined);
		stops.length = 0;
	};
	const checkpoint = (): void => {
		if (signal?.aborted) throw new DemoCannotStart('stopped while starting');
	};

	// Both checks before anything starts: they take a second, the rest takes a while.
	const wanted = [
		{ port: n8nPort, what: "n8n's port" },
		{ port: n8nPort + 1, what: "n8n's task broker, the n8n port + 1" },
		...(options.realCloud ? [] : [{ port: cloudPort, what: 'the fake Particle Cloud' }]),
	];
	const busy = await busyPorts(wanted);
	if (busy.length > 0) throw new DemoCannotStart(explainBusyPorts(busy, 'npm start -- --port 5690 --cloud-port 4020'));
	let exampleDevice: Demo['exampleDevice'];
	if (options.realCloud) {
		say(`Checking the token with ${options.realCloud.baseUrl} (GET /v1/devices)`);
		const check = await checkRealCloudToken(options.realCloud.baseUrl, options.realCloud.accessToken, signal);
		checkpoint();
		if (!check.ok) throw new DemoCannotStart(check.problem);
		const online = check.devices.filter((device) => device.online);
		say(`  the token lists ${check.devices.length} device(s), ${online.length} online`);
		exampleDevice = online[0] ?? check.devices[0];
	}

	try {
		// A later start with unchanged sources skips the build (10 to 30 s of tsc).
		if (!options.skipBuild && distIsCurrent()) say('dist/ is newer than every source file: not building');
		else if (!options.skipBuild) await runBuild(say, signal);
		checkpoint();
		const runtime = await ensureRuntime(say, signal);
		checkpoint();
		if (options.fresh) rmSync(userFolder, { recursive: true, force: true });
		mkdirSync(userFolder, { recursive: true });
		mkdirSync(outputDir, { recursive: true });

		let cloud: FakeCloud | undefined;
		let fleetState: Demo['fleetState'];
		let credentialData: Record<string, string>;
		if (options.realCloud) {
			credentialData = { authMode: 'accessToken', accessToken: options.realCloud.accessToken, baseUrl: options.realCloud.baseUrl };
		} else {
			cloud = await startFakeCloud({ port: cloudPort, devices: 6, products: 1, productDevices: 6, seed: 1 });
			const started = cloud;
			// The fleet continues from the last run, so the offline alert's memory of it stays true.
			const file = join(userFolder, FLEET_STATE_FILE);
			const keeper = keepFleetState(cloud.fleet, file);
			fleetState = { file, loaded: keeper.loaded };
			stops.push(async () => {
				keeper.stop();
				await started.close();
			});
			const steady = cloud.fleet.sandboxDevices().find((device) => device.online);
			if (steady) exampleDevice = { id: steady.id, name: steady.name };
			const churnMs = options.churnMs ?? DEFAULT_CHANGE_EVERY_MS;
			if (churnMs > 0) {
				cloud.startFleetScript({ everyMs: churnMs, readingEveryMs: options.readingMs, steady: steady ? [steady.id] : [], seed: 1 });
			}
			credentialData = { authMode: 'accessToken', accessToken: cloud.tokens.user, baseUrl: cloud.url };
		}

		installPackageInto(userFolder);
		say(`Starting n8n on http://127.0.0.1:${n8nPort}`);
		const n8nStartedAt = Date.now();
		const ticker = setInterval(() => say(`  ... ${formatDuration(Date.now() - n8nStartedAt)}: n8n is starting (a first start also creates its database)`), 10_000);
		ticker.unref();
		const n8n = await startN8n({
			runtime,
			userFolder,
			port: n8nPort,
			owner: DEMO_OWNER,
			filesDir: outputDir,
			logFile: join(userFolder, 'n8n.log'),
			signal,
		}).finally(() => clearInterval(ticker));
		stops.push(() => n8n.stop());
		say(`  n8n is ready (${formatDuration(Date.now() - n8nStartedAt)})`);
		checkpoint();

		const rest = new N8nRest(n8n.url);
		await rest.login(DEMO_OWNER);
		const credential = await upsertCredential(rest, credentialData);
		const workflows = demoWorkflows({ credential, outputDir });
		const workflowIds = await ensureWorkflows(rest, workflows, say);
		const workflowsDir = join(outputDir, 'workflows');
		mkdirSync(workflowsDir, { recursive: true });
		for (const workflow of workflows) {
			writeFileSync(join(workflowsDir, `${workflow.id}.json`), `${JSON.stringify(workflow, null, 2)}\n`);
		}
		const meantActive = workflows
			.filter((workflow) => workflow.active)
			.map((workflow) => ({ name: workflow.name, id: workflowIds.get(workflow.name) ?? '' }));
		say('Waiting for n8n to activate the example workflows');
		const activations = await activationStates(rest, meantActive);
		checkpoint();
		return {
			n8n,
			runtime,
			rest,
			cloud,
			realCloudUrl: options.realCloud?.baseUrl,
			credential,
			workflowIds,
			activations,
			exampleDevice,
			fleetState,
			outputDir,
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
