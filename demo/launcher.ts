/**
 * The demo in one call: build, the fake Particle Cloud with a living fleet, Node 24 + n8n from the cache, this package
 * installed into n8n, an owner, a "Particle API" credential and the example workflows. `npm start` and the
 * end-to-end tests both start it through `startDemo()`, so the tests prove what users run.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startFakeCloud, type FakeCloud } from '../fake-cloud';
import { installPackageInto, N8nRest, startN8n, type N8nProcess, type Owner } from './n8n';
import { CACHE_DIR, ensureRuntime, REPO_ROOT, type Runtime } from './runtime';
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
	/** Milliseconds between fleet changes on the fake cloud; 0 keeps the fleet still (tests). */
	churnMs?: number;
	/** n8n's user folder; kept between runs so your own workflows stay. */
	userFolder?: string;
	/** Start from an empty n8n (tests). */
	fresh?: boolean;
	/** Where the example workflows write alerts, events and CSV files. */
	outputDir?: string;
	/** Skip `npm run build` (tests that just built). */
	skipBuild?: boolean;
	say?: (line: string) => void;
}

export interface Demo {
	n8n: N8nProcess;
	runtime: Runtime;
	rest: N8nRest;
	/** Absent with the real cloud. */
	cloud?: FakeCloud;
	credential: DemoCredentialRef;
	/** Workflow ID by demo workflow name. */
	workflowIds: Map<string, string>;
	outputDir: string;
	stop(): Promise<void>;
}

export function runBuild(say: (line: string) => void): Promise<void> {
	say('Building the package (npm run build)');
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (exit code ${code})`))));
	});
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
		if (active) await rest.call('POST', `/workflows/${created.id}/activate`, { versionId: created.versionId });
		say(`  imported "${workflow.name}"${active ? ' (active)' : ''}`);
	}
	return ids;
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
	const say = options.say ?? ((line: string) => process.stdout.write(`${line}\n`));
	const n8nPort = options.n8nPort ?? 5678;
	const userFolder = options.userFolder ?? join(CACHE_DIR, 'user');
	const outputDir = options.outputDir ?? join(REPO_ROOT, 'demo-output');
	const stops: Array<() => Promise<void>> = [];
	const stop = async (): Promise<void> => {
		for (const step of stops.reverse()) await step().catch(() => undefined);
		stops.length = 0;
	};

	try {
		if (!options.skipBuild) await runBuild(say);
		const runtime = await ensureRuntime(say);

		let cloud: FakeCloud | undefined;
		let credentialData: Record<string, string>;
		if (options.realCloud) {
			credentialData = { authMode: 'accessToken', accessToken: options.realCloud.accessToken, baseUrl: options.realCloud.baseUrl };
		} else {
			cloud = await startFakeCloud({ port: options.cloudPort ?? 4010, devices: 6, products: 1, productDevices: 6, seed: 1 });
			const started = cloud;
			stops.push(() => started.close());
			const churnMs = options.churnMs ?? 4000;
			if (churnMs > 0) cloud.startFleetScript({ everyMs: churnMs, seed: 1 });
			credentialData = { authMode: 'accessToken', accessToken: cloud.tokens.user, baseUrl: cloud.url };
		}

		if (options.fresh) rmSync(userFolder, { recursive: true, force: true });
		mkdirSync(userFolder, { recursive: true });
		mkdirSync(outputDir, { recursive: true });
		installPackageInto(userFolder);

		say(`Starting n8n on http://127.0.0.1:${n8nPort}`);
		const n8n = await startN8n({
			runtime,
			userFolder,
			port: n8nPort,
			owner: DEMO_OWNER,
			filesDir: outputDir,
			logFile: join(userFolder, 'n8n.log'),
		});
		stops.push(() => n8n.stop());

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
		return { n8n, runtime, rest, cloud, credential, workflowIds, outputDir, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
