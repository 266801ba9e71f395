/**
 * What a failed Particle request means for the user, in Particle's own words plus what to do. Pure: the transport
 * turns the result into an n8n error.
 */
import { MAX_WAIT_MS, parseRetryAfter } from './backoff';

export interface ParticleFailure {
	method: string;
	/** HTTP status, when the cloud answered. */
	status?: number;
	/** Node.js error code (ECONNRESET, ECONNREFUSED, ETIMEDOUT...) when no answer arrived. */
	networkCode?: string;
	/** Parsed response body, when there was one. */
	body?: unknown;
	/** Why the request could not be sent at all (for example the credential's token exchange failed). */
	localError?: string;
	/** How many times the request was sent again before giving up. */
	retries: number;
	/** Raw `Retry-After` of a 429/529 answer. */
	retryAfter?: string;
	/** For a redirect (3xx): the origin it pointed to, never its path or query. */
	redirectOrigin?: string;
	/**
	 * Set when the product OAuth client's token exchange failed before the request itself could be sent: the
	 * credential's own message (it names no secret). `status` is then the exchange's HTTP status.
	 */
	tokenExchange?: string;
}

export interface ParticleErrorText {
	message: string;
	description: string;
	/** n8n's machine-readable cause, so callers (and AI agents) can tell a wait from a fix. */
	cause:
		| 'rate-limited'
		| 'temporarily-unavailable'
		| 'credential-invalid'
		| 'configuration-invalid'
		| undefined;
}

const TEXT_KEYS = ['error_description', 'error', 'info', 'description', 'message'] as const;

/** Longest text of Particle's own words an error message carries. */
const MAX_WORDS_LENGTH = 300;

/**
 * What is removed from any text we pass on: an Authorization value (Bearer or Basic), a 40-hex access token, and
 * the value of `access_token`, `refresh_token`, `client_secret` or `password` in a form, a query or JSON.
 */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]+/gi, '$1$2[redacted]'],
	[/\b[0-9a-f]{40,}\b/gi, '[redacted]'],
	[/(access_token|refresh_token|client_secret|password)(=|"\s*:\s*")[^&\s"]*/gi, '$1$2[redacted]'],
];

export function redactSecrets(text: string): string {
	return SECRET_PATTERNS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/** Redacts first, then cuts: a cut first could leave part of a secret that the patterns no longer recognise. */
function redactedWords(text: string): string {
	return redactSecrets(text).slice(0, MAX_WORDS_LENGTH);
}

/** Particle's own explanation: `error_description`, `error`, `info`... joined when they differ. */
export function particleText(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const trimmed = body.trim();
		return trimmed === '' ? undefined : redactedWords(trimmed);
	}
	if (body === null || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	const parts: string[] = [];
	for (const key of TEXT_KEYS) {
		const value = record[key];
		if (typeof value === 'string' && value.trim() !== '' && !parts.includes(value.trim())) {
			parts.push(value.trim());
		}
	}
	return parts.length > 0 ? redactedWords(parts.join(': ')) : undefined;
}

const WRITE_NOTE =
	'It was not sent again: the device may already have acted on it. Check the device before trying again.';

function isWrite(method: string): boolean {
	return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** What was done about a 429 before giving up, truthfully: waited and resent, or not resent and why. */
function rateLimitHistory(failure: ParticleFailure): string {
	const asked = parseRetryAfter(failure.retryAfter);
	if (asked !== undefined && asked > MAX_WAIT_MS) {
		return `Particle asked to wait ${Math.ceil(asked / 1000)} s, longer than the ${MAX_WAIT_MS / 1000} s n8n waits, so it was not sent again.`;
	}
	if (failure.retries === 0) return 'It was not sent again.';
	const times = `${failure.retries} more time${failure.retries === 1 ? '' : 's'}`;
	return asked !== undefined
		? `Waited as Particle asked and sent it ${times}; Particle still refused it.`
		: `Waited with a growing pause and sent it ${times}; Particle still refused it.`;
}

function withParticleWords(summary: string, words: string | undefined): string {
	return words ? `${summary}: ${words}` : summary;
}

export function describeFailure(failure: ParticleFailure): ParticleErrorText {
	const words = particleText(failure.body);
	const { status } = failure;
	const retried =
		failure.retries > 0 ? ` Sent ${failure.retries} more time${failure.retries === 1 ? '' : 's'} first.` : '';

	if (failure.tokenExchange !== undefined) {
		const refused = status !== undefined && status >= 300 && status < 500;
		return {
			message: redactSecrets(failure.tokenExchange),
			description: refused
				? 'n8n could not get a product token with the OAuth client, so the request was not sent. Fix the client ID, client secret or Base URL in the Particle API credential; retrying will not help.'
				: 'n8n could not get a product token with the OAuth client, so the request was not sent. It is tried again on the next request.',
			cause: refused ? 'credential-invalid' : 'temporarily-unavailable',
		};
	}
	if (status === undefined && failure.localError !== undefined) {
		return {
			message: redactSecrets(failure.localError),
			description:
				'The request was not sent. Check the Particle API credential: its Base URL, and for a product OAuth client its client ID and secret.',
			cause: 'credential-invalid',
		};
	}
	if (status === undefined) {
		const code = failure.networkCode ?? 'no response';
		return {
			message: `Could not reach the Particle Cloud (${code})`,
			description: isWrite(failure.method)
				? `The connection failed before an answer arrived. ${WRITE_NOTE}`
				: `Check the Base URL in the Particle API credential and the network.${retried}`,
			cause: 'temporarily-unavailable',
		};
	}
	if (status >= 300 && status < 400) {
		return {
			message: `The Base URL answered with a redirect (HTTP ${status}${failure.redirectOrigin ? ` to ${failure.redirectOrigin}` : ''}), which n8n does not follow`,
			description:
				'A request that carries the Particle credential is never sent on to another address. Set the Base URL in the Particle API credential to the address of the Particle Cloud itself (https://api.particle.io for Particle\'s cloud).',
			cause: 'configuration-invalid',
		};
	}
	if (status === 400) {
		return {
			message: withParticleWords('Particle rejected the request as invalid', words),
			description: 'Check the values of the node parameters against what Particle accepts.',
			cause: 'configuration-invalid',
		};
	}
	if (status === 401) {
		return {
			message: withParticleWords('Particle did not accept the access token', words),
			description:
				'The token is invalid, expired or revoked. Update the Particle API credential (a new access token, or the product OAuth client ID and secret). Retrying will not help.',
			cause: 'credential-invalid',
		};
	}
	if (status === 403) {
		return {
			message: withParticleWords('The Particle token is not allowed to do this', words),
			description:
				'The token is valid but has no access to this device, product or organization, or lacks the scope for this operation. For an API user, add the missing scope; for a customer token, use a device the customer owns.',
			cause: 'configuration-invalid',
		};
	}
	if (status === 404) {
		return {
			message: withParticleWords('Particle could not find it', words),
			description:
				'Check the device ID or name, the product, and the variable or function name. Variables and functions exist only while the device is online and has registered them.',
			cause: 'configuration-invalid',
		};
	}
	if (status === 408) {
		return {
			message: withParticleWords('The device did not answer in time', words),
			description: `The device is probably offline, asleep or busy. ${WRITE_NOTE}`,
			cause: 'temporarily-unavailable',
		};
	}
	if (status === 429 || status === 529) {
		return {
			message: withParticleWords('Particle is rate limiting requests from this n8n', words),
			description: `${rateLimitHistory(failure)} Particle allows about 10,000 requests per 5 minutes per IP address: send fewer requests, or lower the node's concurrency.`,
			cause: 'rate-limited',
		};
	}
	if (status === 413 || status === 414 || status === 431) {
		return {
			message: withParticleWords(`The request is too large for the Particle Cloud (HTTP ${status})`, words),
			description:
				'A value sent in the URL or the body is far longer than Particle accepts. Check the node parameters, such as the product, device or customer.',
			cause: 'configuration-invalid',
		};
	}
	if (status >= 500) {
		return {
			message: withParticleWords(`The Particle Cloud failed to handle the request (HTTP ${status})`, words),
			description: isWrite(failure.method) ? WRITE_NOTE : `Particle may be having trouble; try again later.${retried}`,
			cause: 'temporarily-unavailable',
		};
	}
	return {
		message: withParticleWords(`Particle answered HTTP ${status}`, words),
		description: 'Unexpected answer from the Particle Cloud.',
		cause: undefined,
	};
}
