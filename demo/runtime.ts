/**
 * Node 24 and n8n for the demo and the end-to-end tests, installed once into a git-ignored cache and reused.
 *
 * n8n 2.41 needs Node 24 while this package's tools run on Node 20, so Node 24 comes from the npm registry as the
 * `node@24` package (a real binary inside a registry package) and n8n runs under it, never under the Node running this.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const N8N_VERSION = '2.41.1';
export const NODE_MAJOR = '24';

export const REPO_ROOT = resolve(__dirname, '..');
export const CACHE_DIR = process.env.PARTICLE_DEMO_CACHE ?? join(REPO_ROOT, '.demo-cache');

export interface Runtime {
	/** The Node 24 binary n8n runs under. */
	node: string;
	/** n8n's CLI entry, run as `node <n8nBin> start`. */
	n8nBin: string;
	/** n8n's own node_modules (bcryptjs for the owner's password hash, n8n-nodes-base for benchmarks). */
	n8nModules: string;
	/** PATH with Node 24 first, for n8n and anything it spawns (task runners). */
	env: NodeJS.ProcessEnv;
}

const nodeDir = join(CACHE_DIR, `node${NODE_MAJOR}`);
const n8nDir = join(CACHE_DIR, `n8n`);
const nodeBinDir = join(nodeDir, 'node_modules', 'node', 'bin');
const nodeMarker = join(nodeDir, '.installed');
const n8nMarker = join(n8nDir, `.installed-${N8N_VERSION}`);

export function runtimePaths(): Runtime {
	const node = join(nodeBinDir, 'node');
	return {
		node,
		n8nBin: join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nModules: join(n8nDir, 'node_modules'),
		env: { ...process.env, PATH: `${nodeBinDir}${delimiter}${process.env.PATH ?? ''}` },
	};
}

type Say = (line: string) => void;

/** "2 min 05 s", "40 s": what a person reads in a progress line. */
export function formatDuration(ms: number): string {
	const seconds = Math.max(0, Math.round(ms / 1000));
	if (seconds < 60) return `${seconds} s`;
	return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Top-level packages of n8n 2.41.1 (scoped ones counted one by one), counted in a finished install. */
export const N8N_PACKAGE_COUNT = 1519;
/**
 * How long the first run's install takes: about 8 minutes measured on an idle 2-core machine (n8n's npm install about
 * 5, the sqlite3 build 1 to 2), 16 minutes on the same machine under heavy load with an empty npm cache.
 */
export const FIRST_INSTALL_ESTIMATE = 'about 8 minutes (up to 15 on a slow network or a busy machine)';

/**
 * How far npm is in a `node_modules` folder: it makes every package's folder first and fills them as the tarballs
 * arrive, so a folder with a package.json is a package unpacked. Cheap enough to read every few seconds.
 */
export function unpackedPackages(modulesDir: string): { folders: number; unpacked: number } {
	let folders = 0;
	let unpacked = 0;
	let entries: string[];
	try {
		entries = readdirSync(modulesDir);
	} catch {
		return { folders, unpacked };
	}
	for (const entry of entries) {
		if (entry.startsWith('.')) continue;
		let names = [entry];
		if (entry.startsWith('@')) {
			try {
				names = readdirSync(join(modulesDir, entry)).map((name) => `${entry}/${name}`);
			} catch {
				names = [];
			}
		}
		for (const name of names) {
			folders++;
			if (existsSync(join(modulesDir, name, 'package.json'))) unpacked++;
		}
	}
	return { folders, unpacked };
}

export interface RunOptions {
	/** What is happening, for a line every `everyMs` while the command runs (npm says nothing for minutes). */
	progress?: () => string;
	everyMs?: number;
	/** Ends the command (SIGTERM) when the demo is stopped while it runs. */
	signal?: AbortSignal;
}

function run(say: Say, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, options: RunOptions = {}): Promise<void> {
	say(`  $ ${command} ${args.join(' ')}`);
	const startedAt = Date.now();
	const ticker = options.progress
		? setInterval(() => say(`  ... ${formatDuration(Date.now() - startedAt)}: ${options.progress?.() ?? ''}`), options.everyMs ?? 10_000)
		: undefined;
	ticker?.unref();
	return new Promise<void>((resolvePromise, reject) => {
		// npm's own output goes straight to the terminal; the ticker above says what it is doing meanwhile.
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'], signal: options.signal });
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) resolvePromise();
			else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}) in ${cwd}`));
		});
	}).finally(() => {
		if (ticker) clearInterval(ticker);
		if (options.progress) say(`  done in ${formatDuration(Date.now() - startedAt)}`);
	});
}

function freshFolder(dir: string, name: string): void {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
}

/** Installs what is missing; quick when both are there. */
export async function ensureRuntime(say: Say = (line) => process.stdout.write(`${line}\n`), signal?: AbortSignal): Promise<Runtime> {
	const runtime = runtimePaths();
	const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];
	if (!existsSync(nodeMarker) || !existsSync(n8nMarker)) {
		say(`First run: installing Node ${NODE_MAJOR} and n8n ${N8N_VERSION} into ${CACHE_DIR}, ${FIRST_INSTALL_ESTIMATE} (2.9 GB); later runs reuse them.`);
	}
	if (!existsSync(nodeMarker)) {
		say(`[1/3] Node ${NODE_MAJOR} for n8n (npm package node@${NODE_MAJOR}) into ${nodeDir} (under a minute)`);
		freshFolder(nodeDir, 'particle-demo-node');
		await run(say, 'npm', ['install', `node@${NODE_MAJOR}`, ...npmFlags], nodeDir, process.env, {
			signal,
			progress: () => `downloading Node ${NODE_MAJOR}`,
		});
		if (!existsSync(runtime.node)) throw new Error(`node@${NODE_MAJOR} installed, but ${runtime.node} is missing`);
		writeFileSync(nodeMarker, `${new Date().toISOString()}\n`);
	}
	if (!existsSync(n8nMarker)) {
		say(`[2/3] n8n ${N8N_VERSION} into ${n8nDir} (about 5 minutes, once)`);
		freshFolder(n8nDir, 'particle-demo-n8n');
		const modulesDir = join(n8nDir, 'node_modules');
		const progress = (): string => {
			const { folders, unpacked } = unpackedPackages(modulesDir);
			if (folders === 0) return "npm is resolving n8n's dependencies";
			return `${unpacked} of about ${N8N_PACKAGE_COUNT} packages unpacked`;
		};
		// Without --ignore-scripts an optional dependency tries to download from outside the npm registry and the
		// whole install rolls back; sqlite3 is the one native module n8n needs, so it is built on its own.
		await run(say, 'npm', ['install', `n8n@${N8N_VERSION}`, '--ignore-scripts', ...npmFlags], n8nDir, runtime.env, { signal, progress });
		say(`[3/3] building sqlite3 for Node ${NODE_MAJOR} (1 to 2 minutes)`);
		await run(say, 'npm', ['rebuild', 'sqlite3', ...npmFlags], n8nDir, runtime.env, {
			signal,
			progress: () => 'compiling sqlite3 from source',
		});
		writeFileSync(n8nMarker, `${new Date().toISOString()}\n`);
	}
	return runtime;
}

if (require.main === module) {
	ensureRuntime().then(
		(runtime) => process.stdout.write(`n8n ${N8N_VERSION} on ${runtime.node}: ready\n`),
		(error: Error) => {
			process.stderr.write(`${error.message}\n`);
			process.exitCode = 1;
		},
	);
}
