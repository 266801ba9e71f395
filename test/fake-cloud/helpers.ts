/** Plain-HTTP helpers for the fake-cloud tests (global fetch, nothing Particle-specific). */
import { request } from 'node:http';
import type { FakeCloud } from '../../fake-cloud';

export interface CallOptions {
	token?: string;
	/** Sent as JSON. */
	json?: unknown;
	/** Sent urlencoded. */
	form?: Record<string, string>;
	headers?: Record<string, string>;
}

export interface CallResult {
	status: number;
	headers: Headers;
	text: string;
	/** The body parsed as JSON (undefined when it is not JSON). */
	body: unknown;
}

/** `path` is sent exactly as given (already encoded), query string included. */
export async function call(cloud: FakeCloud, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
	const headers: Record<string, string> = { ...options.headers };
	if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
	let body: string | undefined;
	if (options.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(options.json);
	} else if (options.form !== undefined) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(options.form).toString();
	}
	const res = await fetch(cloud.url + path, { method, headers, body });
	const text = await res.text();
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Reads one field of a JSON object body. */
export function prop(result: CallResult, name: string): unknown {
	return (result.body as Record<string, unknown> | undefined)?.[name];
}

export const INVALID_TOKEN = { error: 'invalid_token', error_description: 'The access token provided is invalid.' };

/** node:http without any URL normalisation: the path goes on the wire byte for byte. */
export function rawRequest(cloud: FakeCloud, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: cloud.port, method, path, headers }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : (JSON.parse(text) as unknown) }));
		});
		req.on('error', reject);
		req.end();
	});
}

export interface StreamedResult {
	status: number;
	contentType: string | undefined;
	/** How many pieces the body arrived in. */
	chunks: number;
	/** Line breaks in the whole body. */
	lines: number;
	/** The first 4 KB of the body; the rest is counted, never kept. */
	head: string;
}

/** A GET whose body is only counted as it arrives: for answers too big to hold in a test. */
export function streamedGet(cloud: FakeCloud, path: string, headers: Record<string, string>): Promise<StreamedResult> {
	return new Promise((resolve, reject) => {
		const req = request({ host: '127.0.0.1', port: cloud.port, method: 'GET', path, headers }, (res) => {
			const result: StreamedResult = { status: res.statusCode ?? 0, contentType: res.headers['content-type'], chunks: 0, lines: 0, head: '' };
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				result.chunks++;
				for (let index = chunk.indexOf('\n'); index !== -1; index = chunk.indexOf('\n', index + 1)) result.lines++;
				if (result.head.length < 4096) result.head += chunk.slice(0, 4096 - result.head.length);
			});
			res.on('end', () => resolve(result));
		});
		req.on('error', reject);
		req.end();
	});
}

/** Creates an API user through the team route of `owner` (`/v1/products/:p` or `/v1/orgs/:org`) as the user. */
export async function createApiUser(cloud: FakeCloud, owner: string, scopes: string[], friendlyName = 'Test robot'): Promise<{ username: string; token: string }> {
	const created = await call(cloud, 'POST', `${owner}/team`, { token: cloud.tokens.user, json: { friendly_name: friendlyName, scopes } });
	if (created.status !== 200) throw new Error(`API user not created: ${created.status} ${created.text}`);
	const { username, tokens } = prop(created, 'created') as { username: string; tokens: Array<{ token: string }> };
	return { username, token: tokens[0].token };
}
