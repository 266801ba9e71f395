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
