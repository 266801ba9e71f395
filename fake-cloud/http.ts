/**
 * Small node:http helpers: splitting the raw request target, reading and parsing bodies, writing replies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a route answers; the server turns it into bytes (and records the status). */
export interface Reply {
	status: number;
	/** Sent as JSON when set. */
	json?: unknown;
	/** Sent as text/plain when set (and `json` is not). */
	text?: string;
	headers?: Record<string, string>;
	/** Takes over the response instead (an event stream that stays open). */
	stream?: (req: IncomingMessage, res: ServerResponse) => void;
}

/** Thrown by routes to answer with an error body. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers?: Record<string, string>,
	) {
		super(`fake cloud answered ${status}`);
	}

	toReply(): Reply {
		return { status: this.status, json: this.body, headers: this.headers };
	}
}

export function ok(json: unknown, status = 200): Reply {
	return { status, json };
}

export interface RequestTarget {
	/** Path as received, still percent-encoded. */
	rawPath: string;
	/** rawPath split on "/" (the leading empty part dropped, one trailing slash ignored). */
	rawSegments: string[];
	/** Each segment decoded once; a malformed escape keeps the raw text. */
	decodedPath: string;
	query: Record<string, string | string[]>;
}

/** Splits the request target without normalising it: an encoded "/" stays inside its segment. */
export function parseTarget(url: string): RequestTarget {
	const q = url.indexOf('?');
	const rawPath = q === -1 ? url : url.slice(0, q);
	const rawQuery = q === -1 ? '' : url.slice(q + 1);
	let rawSegments = rawPath.split('/').slice(1);
	if (rawSegments.length > 1 && rawSegments[rawSegments.length - 1] === '') rawSegments = rawSegments.slice(0, -1);
	const decodedPath = '/' + rawSegments.map((s) => decodeSegment(s) ?? s).join('/');
	const query: Record<string, string | string[]> = {};
	for (const [key, value] of new URLSearchParams(rawQuery)) {
		const prior = query[key];
		query[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
	}
	return { rawPath, rawSegments, decodedPath, query };
}

/** undefined when the segment has a malformed escape. */
export function decodeSegment(segment: string): string | undefined {
	try {
		return decodeURIComponent(segment);
	} catch {
		return undefined;
	}
}

export class BodyTooLargeError extends Error {}

/**
 * Reads the whole body as UTF-8. Past `limit` bytes it keeps draining but rejects at the end, so the caller can
 * still answer 413 on the open connection.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
	return (await readBodyBytes(req, limit)).toString('utf8');
}

/** The whole body as bytes (a firmware upload is binary), with readBody's limit. */
export function readBodyBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= limit) chunks.push(chunk);
		});
		req.on('end', () => (size > limit ? reject(new BodyTooLargeError()) : resolve(Buffer.concat(chunks))));
		req.on('error', reject);
	});
}

export type BodyKind = 'json' | 'form' | 'multipart' | 'other' | 'none';

export interface ParsedBody {
	kind: BodyKind;
	/** JSON value, or Record<string, string> for a form or multipart body (a file part as its text); undefined when empty or unparseable. */
	value: unknown;
	/** Set when a JSON body did not parse. */
	invalid?: boolean;
	/** The parts of a multipart body that carried a file name, by part name, with their bytes as sent. */
	files?: Record<string, UploadedFile>;
}

/** A file part of a multipart body: its bytes, and the file name and media type its headers gave. */
export interface UploadedFile {
	bytes: Buffer;
	filename: string;
	contentType: string | undefined;
}

export function mediaType(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The parts of a `multipart/form-data` body by name, each as text (uploads here are mostly text files: device and SIM
 * lists), and the file parts also as bytes (a firmware binary). undefined when the boundary is missing or no part is
 * well formed. Read as latin1, one character per byte, so a part's bytes come back exactly.
 */
function parseMultipart(contentType: string | undefined, bytes: Buffer): Pick<ParsedBody, 'value' | 'files'> | undefined {
	const boundary = /;\s*boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
	if (boundary === undefined) return undefined;
	const raw = bytes.toString('latin1');
	const parts: Record<string, string> = {};
	const files: Record<string, UploadedFile> = {};
	for (const chunk of raw.split(`--${boundary}`).slice(1)) {
		const headerEnd = chunk.indexOf('\r\n\r\n');
		if (headerEnd === -1) continue;
		const headers = Buffer.from(chunk.slice(0, headerEnd), 'latin1').toString('utf8');
		const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
		if (name === undefined) continue;
		// Each part's content ends with the CRLF that comes before the next boundary.
		const content = Buffer.from(chunk.slice(headerEnd + 4).replace(/\r\n$/, ''), 'latin1');
		parts[name] = content.toString('utf8');
		const filename = /content-disposition:[^\r\n]*\bfilename="([^"]*)"/i.exec(headers)?.[1];
		const type = /^content-type:\s*([^\r\n;]+)/im.exec(headers)?.[1]?.trim().toLowerCase();
		if (filename !== undefined) files[name] = { bytes: content, filename, contentType: type };
	}
	return Object.keys(parts).length > 0 ? { value: parts, files } : undefined;
}

/** JSON, urlencoded forms and multipart uploads, like the real API; other bodies are ignored, as body parsers would. */
export function parseBody(contentType: string | undefined, raw: string, bytes: Buffer = Buffer.from(raw, 'utf8')): ParsedBody {
	const type = mediaType(contentType);
	if (type === 'multipart/form-data') return { kind: 'multipart', value: undefined, ...(raw === '' ? {} : parseMultipart(contentType, bytes)) };
	if (raw === '') return { kind: type === '' ? 'none' : kindOf(type), value: undefined };
	if (kindOf(type) === 'json') {
		try {
			return { kind: 'json', value: JSON.parse(raw) as unknown };
		} catch {
			return { kind: 'json', value: undefined, invalid: true };
		}
	}
	if (type === 'application/x-www-form-urlencoded') {
		// Repeated keys: the last one wins, so a form body is always Record<string, string>.
		return { kind: 'form', value: Object.fromEntries(new URLSearchParams(raw)) };
	}
	return { kind: 'other', value: undefined };
}

function kindOf(type: string): BodyKind {
	if (type === 'application/json' || type.endsWith('+json')) return 'json';
	if (type === 'application/x-www-form-urlencoded') return 'form';
	if (type === 'multipart/form-data') return 'multipart';
	return 'other';
}

export function writeReply(res: ServerResponse, reply: Reply): void {
	// Lower-case names so a caller's "Content-Type" replaces the default instead of doubling it.
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(reply.headers ?? {})) headers[name.toLowerCase()] = value;
	let payload: string | undefined;
	if (reply.status !== 204 && reply.status !== 304) {
		if (reply.json !== undefined) {
			payload = JSON.stringify(reply.json);
			headers['content-type'] ??= 'application/json; charset=utf-8';
		} else if (reply.text !== undefined) {
			payload = reply.text;
			headers['content-type'] ??= 'text/plain; charset=utf-8';
		}
	}
	if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
	res.writeHead(reply.status, headers);
	res.end(payload);
}

/** About this many characters go out per write of a streamed reply. */
const STREAM_CHUNK_CHARS = 64 * 1024;

/**
 * A reply written piece by piece as `pieces` produces them: batched into chunks, waiting while the socket is full,
 * stopping when the client leaves. Only one chunk is ever held, however long the answer.
 */
export function streamedReply(contentType: string, pieces: Iterable<string>): Reply {
	return {
		status: 200,
		stream: (_req, res) => {
			pump(res, contentType, pieces).catch((error: unknown) => {
				process.stderr.write(`fake cloud: streamed reply failed: ${error instanceof Error ? error.stack : String(error)}\n`);
				res.destroy();
			});
		},
	};
}

async function pump(res: ServerResponse, contentType: string, pieces: Iterable<string>): Promise<void> {
	res.writeHead(200, { 'content-type': contentType });
	let chunk = '';
	for (const piece of pieces) {
		if (res.destroyed) return;
		chunk += piece;
		if (chunk.length < STREAM_CHUNK_CHARS) continue;
		const roomLeft = res.write(chunk);
		chunk = '';
		// Let other requests in between chunks; wait for the socket when it is full.
		await (roomLeft ? new Promise((resolve) => setImmediate(resolve)) : drained(res));
	}
	if (!res.destroyed) res.end(chunk);
}

function drained(res: ServerResponse): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}
