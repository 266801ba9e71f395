/**
 * A hostile server on 127.0.0.1 for tests: it stands where the Base URL points and, per request, passes the request to
 * the fake cloud or misbehaves as real networks do (redirects elsewhere, accepts and never answers, answers an HTML
 * page, says ":ok" and hangs up, sends an endless line). It records what reached it, headers included.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type HostileBehaviour =
	| { kind: 'pass' }
	| { kind: 'redirect'; to: string; status?: number }
	| { kind: 'hang' }
	| { kind: 'html' }
	| { kind: 'okThenClose' }
	| { kind: 'endlessLine'; bytes: number; before?: string };

export interface SeenRequest {
	method: string;
	url: string;
	authorization?: string;
}

export interface HostileServer {
	readonly url: string;
	readonly seen: SeenRequest[];
	/** Sockets still open (a hung request keeps one). */
	openSockets(): number;
	/** How the next requests are treated; `match` limits it to URLs that start with it. */
	behave(behaviour: HostileBehaviour, match?: string): void;
	close(): Promise<void>;
}

interface Rule {
	behaviour: HostileBehaviour;
	match?: string;
}

/** Starts a hostile server; `upstream` is where 'pass' sends requests (the fake cloud), if anywhere. */
export async function startHostileServer(upstream?: string): Promise<HostileServer> {
	const seen: SeenRequest[] = [];
	const sockets = new Set<Socket>();
	let rules: Rule[] = [];

	const ruleFor = (url: string): HostileBehaviour =>
		rules.find((rule) => rule.match === undefined || url.startsWith(rule.match))?.behaviour ?? { kind: 'pass' };

	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const url = req.url ?? '/';
		seen.push({ method: req.method ?? 'GET', url, authorization: req.headers.authorization });
		const behaviour = ruleFor(url);
		switch (behaviour.kind) {
			case 'redirect':
				res.writeHead(behaviour.status ?? 307, { location: `${behaviour.to}${url}` }).end();
				return;
			case 'hang':
				// Read the request, answer nothing; the client must give up by itself.
				req.resume();
				return;
			case 'html':
				res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Please sign in to the proxy</body></html>');
				return;
			case 'okThenClose':
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				res.end(':ok\n\n');
				return;
			case 'endlessLine':
				res.writeHead(200, { 'content-type': 'text/event-stream' });
				res.write(`:ok\n\n${behaviour.before ?? ''}data: `);
				writeEndless(res, behaviour.bytes);
				return;
			case 'pass':
				if (!upstream) {
					res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false,"error":"Not found"}');
					return;
				}
				pass(req, res, upstream);
				return;
		}
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		seen,
		openSockets: () => sockets.size,
		behave(behaviour, match) {
			rules = [{ behaviour, match }, ...rules.filter((rule) => rule.match !== match)];
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Writes `bytes` of 'x' with no line end, in 64 KiB pieces, as fast as the client reads. */
function writeEndless(res: ServerResponse, bytes: number): void {
	const piece = 'x'.repeat(65_536);
	let left = bytes;
	const more = (): void => {
		while (left > 0) {
			left -= piece.length;
			if (!res.write(piece)) {
				res.once('drain', more);
				return;
			}
		}
	};
	res.on('error', () => undefined);
	more();
}

function pass(req: IncomingMessage, res: ServerResponse, upstream: string): void {
	const target = new URL(req.url ?? '/', upstream);
	const forward = httpRequest(
		target,
		{ method: req.method, headers: { ...req.headers, host: target.host } },
		(answer) => {
			res.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(res);
			// The upstream cut its stream: cut ours too, as a network drop would (pipe alone would leave it open).
			answer.on('close', () => {
				if (!answer.complete) res.destroy();
			});
		},
	);
	forward.on('error', () => res.destroy());
	res.on('close', () => forward.destroy());
	req.pipe(forward);
}
