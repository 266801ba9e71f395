/**
 * Before the demo starts anything: are its ports free, and if not, who holds them? An earlier `npm start` that was
 * not stopped (its terminal closed, or `kill` sent to npm) is the usual holder; saying so, with its PID and how to stop
 * it, beats n8n's "listen EADDRINUSE" minutes later.
 */
import { createServer } from 'node:net';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface PortHolder {
	pid: number;
	/** The process group: n8n runs as its own group, so `kill -- -<pgid>` stops it with its task runner. */
	pgid: number;
	/** Its command line, shortened. */
	command: string;
	/** N8N_USER_FOLDER from its environment, when it is an n8n (or one of its task runners). */
	n8nUserFolder?: string;
}

export interface BusyPort {
	port: number;
	what: string;
	/** Empty when the holder cannot be found (another user's process, or no /proc). */
	holders: PortHolder[];
}

function readIfThere(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

/** Inodes of sockets listening on `port` (any address), from /proc/net/tcp and tcp6 (Linux). */
export function listeningInodes(port: number): Set<string> {
	const inodes = new Set<string>();
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		for (const line of readIfThere(file).split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			// fields[1] is the local address as HEXIP:HEXPORT, fields[3] the state (0A = LISTEN), fields[9] the inode.
			if (fields.length < 10 || fields[3] !== '0A') continue;
			if (parseInt(fields[1].split(':')[1] ?? '', 16) === port) inodes.add(fields[9]);
		}
	}
	return inodes;
}

function describeProcess(pid: number): PortHolder {
	const stat = readIfThere(`/proc/${pid}/stat`);
	// The command name, in parentheses, may hold spaces: the fields after its closing parenthesis are fixed.
	const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) || pid;
	const command = readIfThere(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ');
	const folder = readIfThere(`/proc/${pid}/environ`)
		.split('\0')
		.find((entry) => entry.startsWith('N8N_USER_FOLDER='))
		?.slice('N8N_USER_FOLDER='.length);
	return { pid, pgid, command: command.length > 160 ? `${command.slice(0, 157)}...` : command, n8nUserFolder: folder };
}

/** Processes holding a listening socket on `port`; empty when none is found or /proc cannot tell. */
export function portHolders(port: number): PortHolder[] {
	const inodes = listeningInodes(port);
	if (inodes.size === 0) return [];
	const holders: PortHolder[] = [];
	let entries: string[] = [];
	try {
		entries = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
	} catch {
		return holders;
	}
	for (const entry of entries) {
		let fds: string[];
		try {
			fds = readdirSync(`/proc/${entry}/fd`);
		} catch {
			continue;
		}
		const holds = fds.some((fd) => {
			try {
				const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`))?.[1];
				return inode !== undefined && inodes.has(inode);
			} catch {
				return false;
			}
		});
		if (holds) holders.push(describeProcess(Number(entry)));
	}
	return holders;
}

/** Whether a server may listen on 127.0.0.1:`port` now (the way n8n and the fake cloud will). */
export function canListen(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve(true)));
	});
}

/** The ports among `wanted` that something already listens on, with who does. Port 0 (any free port) is skipped. */
export async function busyPorts(wanted: Array<{ port: number; what: string }>): Promise<BusyPort[]> {
	const busy: BusyPort[] = [];
	for (const { port, what } of wanted) {
		if (port === 0 || (await canListen(port))) continue;
		busy.push({ port, what, holders: portHolders(port) });
	}
	return busy;
}

/** What to tell the person who ran `npm start`: which port, held by what, and how to free it. */
export function explainBusyPorts(busy: BusyPort[], portFlagHint: string): string {
	const lines: string[] = [];
	const groups = new Set<number>();
	for (const { port, what, holders } of busy) {
		if (holders.length === 0) {
			lines.push(`Port ${port} (${what}) is already in use, by a process this user cannot see.`);
			continue;
		}
		for (const holder of holders) {
			const kind = holder.n8nUserFolder
				? `an n8n (user folder ${holder.n8nUserFolder}), probably from an earlier \`npm start\` that is still running`
				: /demo\/start\.ts|fake-cloud\/cli\.ts/.test(holder.command)
					? 'an earlier `npm start` (or fake cloud) that is still running'
					: 'another program';
			lines.push(`Port ${port} (${what}) is held by PID ${holder.pid}, ${kind}: ${holder.command}`);
			groups.add(holder.pgid);
		}
	}
	if (groups.size > 0) {
		const kills = [...groups].map((pgid) => `kill -TERM -- -${pgid}`).join('; ');
		lines.push(`Stop it with: ${kills}   (each command stops one process group, an n8n with its task runner)`);
	}
	lines.push(`Or start this demo on other ports: ${portFlagHint}`);
	return lines.join('\n');
}
