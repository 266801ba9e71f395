/**
 * What n8n's queue mode needs beside n8n: a private Postgres cluster and a Redis, both on 127.0.0.1 only, each in a
 * temp folder of its own, each started as its own process group and stopped by that group's ID (never by name).
 * Debian's packages: `postgresql` (15, in /usr/lib/postgresql/15/bin) and `redis-server`.
 *
 * The end-to-end test of queue mode (e2e/queue.e2e.test.ts) starts them; a future `npm start --queue` could too.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const POSTGRES_BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** A child started as its own process group (its PID is the group's ID), with its output in a log file. */
export interface GroupProcess {
	pid: number;
	exited: Promise<number | null>;
	signal(signal: NodeJS.Signals): void;
	/** Sends `signal` to the group, waits up to `timeoutMs`, then SIGKILLs the group. */
	stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

function tail(file: string, lines = 30): string {
	try {
		return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

function startGroup(
	command: string,
	args: string[],
	{ logFile, uid, gid, env }: { logFile: string; uid?: number; gid?: number; env?: NodeJS.ProcessEnv },
): GroupProcess {
	const log = createWriteStream(logFile, { flags: 'a' });
	const child: ChildProcess = spawn(command, args, {
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: env ?? process.env,
		...(uid === undefined ? {} : { uid, gid }),
	});
	child.stdout?.pipe(log, { end: false });
	child.stderr?.pipe(log, { end: false });
	const exited = new Promise<number | null>((resolve) => {
		child.once('exit', (code) => resolve(code));
		child.once('error', (error) => {
			log.write(`${command}: ${error.message}\n`);
			resolve(null);
		});
	});
	const alive = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
	const signal = (name: NodeJS.Signals): void => {
		if (!alive()) return;
		try {
			process.kill(-(child.pid as number), name);
		} catch {
			// Already gone.
		}
	};
	const onExit = (): void => signal('SIGKILL');
	process.once('exit', onExit);
	return {
		pid: child.pid ?? 0,
		exited,
		signal,
		async stop(first: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
			process.removeListener('exit', onExit);
			signal(first);
			const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
			if ((await Promise.race([exited, timeout])) === 'timeout') signal('SIGKILL');
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
			log.end();
		},
	};
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, gone: () => boolean, logFile: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (gone()) throw new Error(`${what}: the process exited. Last lines of ${logFile}:\n${tail(logFile)}`);
		if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms. Last lines of ${logFile}:\n${tail(logFile)}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function run(command: string, args: string[], options: { uid?: number; gid?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: options.env ?? process.env,
			...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
		});
		let out = '';
		let err = '';
		child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
		const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			if (code === 0) resolve(out);
			else reject(new Error(`${command} ${args.join(' ')}: ${signal ?? `exit code ${code}`}\n${err.slice(-2000)}`));
		});
	});
}

/** Postgres refuses to run as root: as root, it runs as Debian's `postgres` user; otherwise as you. */
function postgresUser(): { uid?: number; gid?: number } {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
	return { uid, gid };
}

export interface Postgres {
	host: '127.0.0.1';
	port: number;
	database: string;
	user: string;
	password: string;
	pid: number;
	/** Runs SQL as the superuser (psql -At: one row a line, columns split by `|`). */
	query(sql: string): Promise<string>;
	/** A fast shutdown (SIGINT to the group), SIGKILL after a bound; the temp folder is removed. */
	stop(): Promise<void>;
}

export interface PostgresOptions {
	port: number;
	/** The server's log (outside the temp folder, so it outlives it). */
	logFile: string;
	database?: string;
	user?: string;
	password?: string;
	readyTimeoutMs?: number;
}

/**
 * A private, throw-away cluster: initdb into a temp folder (trust auth, no fsync), the server on 127.0.0.1:<port>
 * with its unix socket in that folder, a user and a database for n8n.
 */
export async function startPostgres(options: PostgresOptions): Promise<Postgres> {
	const bin = (name: string) => join(POSTGRES_BIN, name);
	if (!existsSync(bin('initdb'))) throw new Error(`Postgres is not installed at ${POSTGRES_BIN} (Debian: apt-get install -y postgresql)`);
	const database = options.database ?? 'n8n';
	const user = options.user ?? 'n8n';
	const password = options.password ?? 'n8n-queue';
	const owner = postgresUser();
	const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-postgres-'));
	let server: GroupProcess | undefined;
	const cleanUp = async (): Promise<void> => {
		await server?.stop('SIGINT', 15_000);
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		if (owner.uid !== undefined) chownSync(dir, owner.uid, owner.gid as number);
		const data = join(dir, 'data');
		// LANG/LC_*: the machine's locale may not exist for initdb; C with UTF-8 encoding always does.
		const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LANG: 'C' };
		await run(bin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], { ...owner, env });
		server = startGroup(
			bin('postgres'),
			['-D', data, '-p', String(options.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
			{ logFile: options.logFile, ...owner, env },
		);
		let gone = false;
		void server.exited.then(() => (gone = true));
		const psql = (sql: string, db = 'postgres') =>
			run(bin('psql'), ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(options.port), '-U', 'postgres', '-d', db, '-c', sql], {
				env: { ...env, PGCONNECT_TIMEOUT: '5' },
				timeoutMs: 30_000,
			});
		await until(
			`Postgres on 127.0.0.1:${options.port}`,
			() => psql('select 1').then(() => true, () => false),
			options.readyTimeoutMs ?? 30_000,
			() => gone,
			options.logFile,
		);
		await psql(`create user "${user}" with password '${password}'`);
		await psql(`create database "${database}" owner "${user}"`);
		const started = server;
		return {
			host: '127.0.0.1',
			port: options.port,
			database,
			user,
			password,
			pid: started.pid,
			query: (sql) => psql(sql, database),
			stop: cleanUp,
		};
	} catch (error) {
		await cleanUp();
		throw error;
	}
}

export interface Redis {
	host: '127.0.0.1';
	port: number;
	pid: number;
	stop(): Promise<void>;
}

function redisPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: '127.0.0.1', port });
		let answer = '';
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(2_000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			answer += chunk.toString('utf8');
			if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
		});
	});
}

/** Redis on 127.0.0.1:<port>, nothing saved (no RDB, no AOF), its working folder a temp folder. */
export async function startRedis(options: { port: number; logFile: string; readyTimeoutMs?: number }): Promise<Redis> {
	let binary: string;
	try {
		binary = execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
	} catch {
		throw new Error('redis-server is not installed (Debian: apt-get install -y redis-server)');
	}
	const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-redis-'));
	const server = startGroup(
		binary,
		['--port', String(options.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', ''],
		{ logFile: options.logFile },
	);
	const stop = async (): Promise<void> => {
		await server.stop('SIGTERM', 10_000);
		rmSync(dir, { recursive: true, force: true });
	};
	try {
		let gone = false;
		void server.exited.then(() => (gone = true));
		await until(`Redis on 127.0.0.1:${options.port}`, () => redisPing(options.port), options.readyTimeoutMs ?? 15_000, () => gone, options.logFile);
		return { host: '127.0.0.1', port: options.port, pid: server.pid, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** What every n8n process of one queue-mode installation shares: the database, Redis, the encryption key. */
export function queueModeEnvironment({ postgres, redis, encryptionKey }: { postgres: Postgres; redis: Redis; encryptionKey: string }): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_ENCRYPTION_KEY: encryptionKey,
	};
}
