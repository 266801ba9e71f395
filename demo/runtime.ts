/**
 * Node 24 and n8n for the demo and the end-to-end tests, installed once into a git-ignored cache and reused.
 *
 * n8n 2.41 needs Node 24 while this package's tools run on Node 20, so Node 24 comes from the npm registry as the
 * `node@24` package (a real binary inside a registry package) and n8n runs under it, never under the Node running this.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

export function isInstalled(): boolean {
	return existsSync(nodeMarker) && existsSync(n8nMarker);
}

type Say = (line: string) => void;

function run(say: Say, command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
	say(`  $ ${command} ${args.join(' ')}`);
	return new Promise((resolvePromise, reject) => {
		// npm's own progress goes straight to the terminal, so a long first install visibly moves.
		const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) resolvePromise();
			else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}) in ${cwd}`));
		});
	});
}

function freshFolder(dir: string, name: string): void {
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true }, null, 2)}\n`);
}

/** Installs what is missing; quick when both are there. */
export async function ensureRuntime(say: Say = (line) => process.stdout.write(`${line}\n`)): Promise<Runtime> {
	const runtime = runtimePaths();
	const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];
	if (!existsSync(nodeMarker)) {
		say(`[1/3] Node ${NODE_MAJOR} for n8n (npm package node@${NODE_MAJOR}) into ${nodeDir}`);
		freshFolder(nodeDir, 'particle-demo-node');
		await run(say, 'npm', ['install', `node@${NODE_MAJOR}`, ...npmFlags], nodeDir, process.env);
		if (!existsSync(runtime.node)) throw new Error(`node@${NODE_MAJOR} installed, but ${runtime.node} is missing`);
		writeFileSync(nodeMarker, `${new Date().toISOString()}\n`);
	}
	if (!existsSync(n8nMarker)) {
		say(`[2/3] n8n ${N8N_VERSION} into ${n8nDir} (a few minutes, once)`);
		freshFolder(n8nDir, 'particle-demo-n8n');
		// Without --ignore-scripts an optional dependency tries to download from outside the npm registry and the
		// whole install rolls back; sqlite3 is the one native module n8n needs, so it is built on its own.
		await run(say, 'npm', ['install', `n8n@${N8N_VERSION}`, '--ignore-scripts', ...npmFlags], n8nDir, runtime.env);
		say(`[3/3] building sqlite3 for Node ${NODE_MAJOR} (about a minute)`);
		await run(say, 'npm', ['rebuild', 'sqlite3', ...npmFlags], n8nDir, runtime.env);
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
