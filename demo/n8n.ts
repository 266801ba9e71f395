/**
 * A real n8n for the demo and the end-to-end tests: this package installed as users get it, an owner created from
 * the environment (no setup screen), a process group that is stopped as a whole, and a small REST client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT, type Runtime } from './runtime';

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface N8nOptions {
	runtime: Runtime;
	/** N8N_USER_FOLDER: n8n keeps its database, settings and community packages in `<userFolder>/.n8n`. */
	userFolder: string;
	port: number;
	owner: Owner;
	/** The only folder the file nodes may read and write. */
	filesDir: string;
	/** Where n8n's own output goes. */
	logFile: string;
	readyTimeoutMs?: number;
	/** Which n8n process: the main one (`start`, the default), or in queue mode a `worker` or a `webhook` process. */
	command?: N8nCommand;
	/** More arguments after the command, e.g. `--concurrency=5` for a worker. */
	args?: string[];
	/** Set or override variables of n8n's environment (queue mode: database, Redis, one shared encryption key). */
	env?: NodeJS.ProcessEnv;
	/** The task runner broker's port (default: `port` + 1). */
	brokerPort?: number;
	/** The port that answers `/healthz/readiness` (default: `port`; a worker's is its QUEUE_HEALTH_CHECK_PORT). */
	readyPort?: number;
	/** Stops n8n and rejects while it is still starting (Ctrl-C or SIGTERM during the start). */
	signal?: AbortSignal;
}

export type N8nCommand = 'start' | 'worker' | 'webhook';

export interface N8nProcess {
	url: string;
	/** The process's PID, which is also its process group's ID (the group holds n8n's task runner too). */
	pid: number;
	logFile: string;
	/** The environment n8n runs with, for its CLI (`n8n execute`) on the same database. */
	env: NodeJS.ProcessEnv;
	stop(): Promise<void>;
	/** Sends a signal to the whole process group at once (a test's SIGKILL); `stop()` still cleans up after it. */
	kill(signal: NodeJS.Signals): void;
	/** Resolves when the process has exited, for whatever reason. */
	exited: Promise<number | null>;
}

const PACKAGE_NAME = 'n8n-nodes-particle';

/** Copies package.json and dist/ into n8n's community node folder, as `npm install` in Settings > Community Nodes would. */
export function installPackageInto(userFolder: string): string {
	const dist = join(REPO_ROOT, 'dist');
	if (!existsSync(join(dist, 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first');
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	cpSync(join(REPO_ROOT, 'package.json'), join(target, 'package.json'));
	cpSync(join(REPO_ROOT, 'index.js'), join(target, 'index.js'));
	cpSync(dist, join(target, 'dist'), { recursive: true });
	const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
	writeFileSync(
		join(nodesDir, 'package.json'),
		`${JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } }, null, 2)}\n`,
	);
	return target;
}

function passwordHash(runtime: Runtime, password: string): string {
	// n8n's own bcrypt implementation, so the hash is one n8n accepts.
	const bcrypt = require(join(runtime.n8nModules, 'bcryptjs')) as { hashSync(text: string, rounds: number): string };
	return bcrypt.hashSync(password, 10);
}

export function n8nEnvironment(options: N8nOptions, brokerPort: number): NodeJS.ProcessEnv {
	return {
		...options.runtime.env,
		N8N_USER_FOLDER: options.userFolder,
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(options.port),
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${options.port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		// No N8N_ENCRYPTION_KEY: n8n makes a random one in <user folder>/.n8n/config (mode 0600) on the first start,
		// so a real token given with --real-cloud is not encrypted under a key printed in this file.
		N8N_ENCRYPTION_KEY: undefined,
		N8N_RESTRICT_FILE_ACCESS_TO: options.filesDir,
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: options.owner.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: options.owner.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: options.owner.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash(options.runtime, options.owner.password),
		// The machine's time zone, not n8n's default (New York), for schedules and the times in messages.
		GENERIC_TIMEZONE: process.env.GENERIC_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
		DB_SQLITE_POOL_SIZE: '2',
		NODE_ENV: 'production',
	};
}

async function isReady(url: string): Promise<boolean> {
	try {
		const response = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
		return response.status === 200;
	} catch {
		return false;
	}
}

function tail(file: string, lines = 40): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		// Negative pid: the whole group, so n8n's task runner goes too.
		process.kill(-child.pid, signal);
	} catch {
		// Already gone.
	}
}

export async function startN8n(options: N8nOptions): Promise<N8nProcess> {
	const url = `http://127.0.0.1:${options.port}`;
	const readyPort = options.readyPort ?? options.port;
	const readyUrl = `http://127.0.0.1:${readyPort}`;
	if (await isReady(readyUrl)) throw new Error(`Port ${readyPort} already answers as an n8n; stop it or choose another port`);
	mkdirSync(options.filesDir, { recursive: true });
	const env = { ...n8nEnvironment(options, options.brokerPort ?? options.port + 1), ...options.env };
	const log = createWriteStream(options.logFile, { flags: 'a' });
	const child = spawn(options.runtime.node, [options.runtime.n8nBin, options.command ?? 'start', ...(options.args ?? [])], {
		cwd: options.userFolder,
		env,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	child.stdout?.pipe(log, { end: false });
	child.stderr?.pipe(log, { end: false });
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	const stopOnExit = (): void => killGroup(child, 'SIGKILL');
	process.once('exit', stopOnExit);

	const stop = async (): Promise<void> => {
		process.removeListener('exit', stopOnExit);
		killGroup(child, 'SIGTERM');
		const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
		if ((await Promise.race([exited, timeout])) === 'timeout') {
			killGroup(child, 'SIGKILL');
			await exited;
		}
		killGroup(child, 'SIGKILL');
		log.end();
	};

	const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
	let gone = false;
	void exited.then(() => (gone = true));
	while (!(await isReady(readyUrl))) {
		if (options.signal?.aborted) {
			await stop();
			throw new Error('stopped while n8n was starting');
		}
		if (gone) throw new Error(`n8n exited before it was ready. Last lines of ${options.logFile}:\n${tail(options.logFile)}`);
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n was not ready within ${options.readyTimeoutMs ?? 120_000} ms. Last lines of ${options.logFile}:\n${tail(options.logFile)}`);
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return { url, pid: child.pid ?? 0, logFile: options.logFile, env, stop, kill: (signal) => killGroup(child, signal), exited };
}

/** n8n's REST API as the editor uses it, with the owner's session cookie. */
export class N8nRest {
	private cookie = '';

	constructor(readonly url: string) {}

	async login(owner: Owner): Promise<void> {
		const response = await fetch(`${this.url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (response.status !== 200) throw new Error(`n8n login failed: ${response.status} ${await response.text()}`);
		const cookie = response.headers.getSetCookie().find((line) => line.startsWith('n8n-auth='));
		if (!cookie) throw new Error('n8n login set no n8n-auth cookie');
		this.cookie = cookie.split(';')[0];
	}

	get authCookie(): string {
		return this.cookie;
	}

	async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/rest${path}`, {
			method,
			headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`n8n ${method} /rest${path}: ${response.status} ${text.slice(0, 500)}`);
		const parsed = text ? (JSON.parse(text) as { data?: T }) : {};
		// `{ "data": null }` is an answer too (no activation error, for example): null, not the envelope.
		return (parsed !== null && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed) as T;
	}
}

/** Runs a saved workflow once with n8n's CLI (`n8n execute`), beside the running server, and returns its output. */
export function executeWorkflowOnce(
	runtime: Runtime,
	n8nEnv: NodeJS.ProcessEnv,
	workflowId: string,
	{ brokerPort, timeoutMs = 120_000 }: { brokerPort: number; timeoutMs?: number },
): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(runtime.node, [runtime.n8nBin, 'execute', `--id=${workflowId}`, '--rawOutput'], {
			cwd: n8nEnv.N8N_USER_FOLDER,
			// The server holds the task broker's port; the CLI's own runner broker needs another one.
			env: { ...n8nEnv, N8N_RUNNERS_BROKER_PORT: String(brokerPort) },
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			reject(new Error(`n8n execute --id=${workflowId} did not finish within ${timeoutMs} ms:\n${output.slice(-2000)}`));
		}, timeoutMs);
		child.on('error', reject);
		child.on('exit', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(output);
			else reject(new Error(`n8n execute --id=${workflowId} failed (exit code ${code}):\n${output.slice(-2000)}`));
		});
	});
}
