/**
 * Server-Sent Events sessions: `:ok` first and as keep-alive, one `event:`/`data:` pair per matching event, and the
 * knobs tests need (drop every stream, fall silent, count open streams).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FleetEvent } from './fleet';

/** Particle's keep-alives come at most about 12 s apart (particle-api-js notes); a bit under 10 s here. */
export const KEEP_ALIVE_MS = 9_000;

export interface StreamFilter {
	/** Event name prefix from the URL; '' for every event. */
	prefix: string;
	/** Whether this stream may see the event (scope and ownership). */
	accepts(event: FleetEvent): boolean;
}

interface Session {
	res: ServerResponse;
	timer: NodeJS.Timeout;
}

export class StreamHub {
	private readonly sessions = new Set<Session>();
	/** While true, open streams get neither keep-alives nor events (a stalled connection). */
	silenced = false;

	get openCount(): number {
		return this.sessions.size;
	}

	/** Takes over the response and keeps it open until the client leaves or the stream is dropped. */
	open(req: IncomingMessage, res: ServerResponse, filter: StreamFilter, subscribe: (listener: (event: FleetEvent) => void) => () => void): void {
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
		res.write(':ok\n\n');
		const timer = setInterval(() => {
			if (!this.silenced) res.write(':ok\n\n');
		}, KEEP_ALIVE_MS);
		timer.unref();
		const session: Session = { res, timer };
		this.sessions.add(session);
		const unsubscribe = subscribe((event) => {
			if (this.silenced || !event.name.startsWith(filter.prefix) || !filter.accepts(event)) return;
			res.write(`event: ${event.name}\ndata: ${JSON.stringify(wireData(event))}\n\n`);
		});
		const end = () => {
			clearInterval(timer);
			unsubscribe();
			this.sessions.delete(session);
		};
		req.on('close', end);
		res.on('close', end);
	}

	/** Cuts every open stream, as a network drop would; `lastChunk` (say, half an event) goes out first. */
	dropAll(lastChunk?: string): void {
		for (const session of [...this.sessions]) {
			if (lastChunk === undefined) session.res.destroy();
			else session.res.write(lastChunk, () => session.res.destroy());
		}
	}
}

/** The JSON Particle puts on the `data:` line. */
function wireData(event: FleetEvent): Record<string, unknown> {
	return {
		data: event.data,
		ttl: event.ttl,
		published_at: event.published_at,
		coreid: event.coreid,
		...(event.userid !== undefined ? { userid: event.userid } : {}),
		...(event.version !== undefined ? { version: event.version } : {}),
		...(event.productID !== undefined ? { productID: event.productID } : {}),
		public: event.private === false,
	};
}
