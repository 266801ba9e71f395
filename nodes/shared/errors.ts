/**
 * What a failed Particle request means for the user, in Particle's own words plus what to do. Pure: the transport
 * turns the result into an n8n error.
 */
import { MAX_WAIT_MS, parseRetryAfter } from './backoff';

export interface ParticleFailure {
	method: string;
	/** The request's path (`/v1/...`, no query): it says what was looked up when Particle answers 404. */
	path?: string;
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
	/** For a call that reached for the device (variable, function): what one read of the device said afterwards. */
	deviceState?: DeviceState;
	/** What the transport knows of the cause beyond the answer (for example an OAuth client scoped to customers:create). */
	hint?: string;
}

/** The device as Particle listed it right after a failed call, or why it could not be read. */
export type DeviceState =
	| { read: true; online?: boolean; lastHeard?: string | null; name?: string | null }
	| { read: false; reason: string };

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
	return parts.length > 0 ? redactedWords(joinWords(parts)) : undefined;
}

/** "is invalid." + "invalid_token" reads "is invalid: invalid_token": one punctuation mark between two parts. */
function joinWords(parts: string[]): string {
	return parts.reduce((joined, part) => (/[?!]$/.test(joined) ? `${joined} ${part}` : `${joined.replace(/[.:;,]+$/, '')}: ${part}`));
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

/** What a 404 was about: the thing looked up, in words, and what to check for that kind of thing. */
export interface LookedUp {
	kind: LookedUpKind;
	/** For example `variable "temperature" on device 0123456789abcdef01234567`. */
	subject: string;
	hint: string;
}

export type LookedUpKind =
	| 'device'
	| 'variable'
	| 'function'
	| 'product'
	| 'customer'
	| 'sim'
	| 'organization'
	| 'integration'
	| 'teamMember'
	| 'serviceAgreement'
	| 'usageReport'
	| 'serialNumber'
	| 'unknown';

/** How Particle's own words name each kind, so "Product not found." on a product device path picks the product. */
const KIND_WORDS: Array<[LookedUpKind, RegExp]> = [
	['variable', /\bvariable\b/i],
	['function', /\bfunction\b/i],
	['customer', /\bcustomer\b/i],
	['sim', /\bsim\b|\biccid\b/i],
	['integration', /\bintegration\b|\bwebhook\b/i],
	['serviceAgreement', /\bservice agreement\b/i],
	['usageReport', /\busage report\b/i],
	['teamMember', /\buser\b|\bmember\b/i],
	['organization', /\borg(?:anization)?\b/i],
	['product', /\bproduct\b/i],
	['device', /\bdevice\b/i],
];

function decoded(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/** A name from the request path as a message shows it: redacted first, then cut (see `redactedWords`). */
function shown(value: string): string {
	return redactSecrets(value).slice(0, 80);
}

/** Segments that name no thing of their own (actions and sub-collections under a device). */
const DEVICE_ACTIONS = new Set(['ping', 'events', 'owner']);

interface Step {
	kind: LookedUpKind;
	value: string;
}

/** The things a path names, outermost first: `/v1/products/p/devices/d/temp` -> product p, device d, variable temp. */
function stepsOf(method: string, path: string): Step[] {
	const parts = path.split(/[?#]/)[0].split('/').filter((part) => part !== '').map(decoded);
	if (parts[0] === 'v1') parts.shift();
	const steps: Step[] = [];
	for (let index = 0; index < parts.length; index++) {
		const [part, next, after] = [parts[index], parts[index + 1], parts[index + 2]];
		if (next === undefined) break;
		if (part === 'products') steps.push({ kind: 'product', value: next });
		else if (part === 'orgs') steps.push({ kind: 'organization', value: next });
		else if (part === 'customers') steps.push({ kind: 'customer', value: next });
		else if (part === 'sims') steps.push({ kind: 'sim', value: next });
		else if (part === 'team') steps.push({ kind: 'teamMember', value: next });
		else if (part === 'integrations' || part === 'webhooks') steps.push({ kind: 'integration', value: next });
		else if (part === 'service_agreements') steps.push({ kind: 'serviceAgreement', value: next });
		else if (part === 'usage_reports') steps.push({ kind: 'usageReport', value: next });
		else if (part === 'serial_numbers') steps.push({ kind: 'serialNumber', value: next });
		else if (part === 'diagnostics') steps.push({ kind: 'device', value: next });
		else if (part === 'devices' && next !== 'events') {
			steps.push({ kind: 'device', value: next });
			// `/devices/:id/:name`: a variable read (GET) or a function call (POST).
			if (after !== undefined && parts.length === index + 3 && !DEVICE_ACTIONS.has(after)) {
				const upper = method.toUpperCase();
				if (upper === 'GET') steps.push({ kind: 'variable', value: after });
				else if (upper === 'POST') steps.push({ kind: 'function', value: after });
			}
		} else continue;
		index++;
	}
	return steps;
}

const QUOTED_KINDS = new Set<LookedUpKind>(['variable', 'function', 'customer', 'teamMember', 'organization']);

const KIND_NAMES: Record<LookedUpKind, string> = {
	device: 'device',
	variable: 'variable',
	function: 'function',
	product: 'product',
	customer: 'customer',
	sim: 'SIM',
	organization: 'organization',
	integration: 'integration',
	teamMember: 'team member',
	serviceAgreement: 'service agreement',
	usageReport: 'usage report',
	serialNumber: 'serial number',
	unknown: 'it',
};

function named(step: Step): string {
	const value = shown(step.value);
	return `${KIND_NAMES[step.kind]} ${QUOTED_KINDS.has(step.kind) ? `"${value}"` : value}`;
}

/** `confirmed`: Particle's words said the variable or function is what is missing (it answers so for online devices). */
function hintFor(step: Step | undefined, parent: Step | undefined, confirmed = false): string {
	const value = step === undefined ? '' : shown(step.value);
	const online = confirmed ? 'The device is online but has not registered' : 'The device has not registered';
	switch (step?.kind) {
		case 'variable':
			return `${online} a variable "${value}"; names are case-sensitive. Device > Get lists the variables it has registered.`;
		case 'function':
			return `${online} a function "${value}"; names are case-sensitive. Device > Get lists the functions it has registered.`;
		case 'device':
			return parent?.kind === 'product'
				? 'Check the device ID or name, and that the device is in this product (Device > Get Many with Devices In "A Product" lists them).'
				: 'Check the device ID or name, and that the device is claimed to the account of this token; a product device needs Devices In "A Product".';
		case 'product':
			return "Check the product ID or slug, and that this token's account is on the product's team.";
		case 'customer':
			return "Check the customer's email address; a customer belongs to one product (Customer > Get Many lists them).";
		case 'sim':
			return 'Check the ICCID, and that the SIM card belongs to this account or product (SIM > Get Many lists them).';
		case 'organization':
			return "Check the organization's ID or slug, and that this token's account is a member of it.";
		case 'integration':
			return 'Check the integration ID (Integration > Get Many lists them); an integration of a product is found only through that product.';
		case 'teamMember':
			return 'Check the username; an API user is named by its full generated address (…@api.particle.io), as Get Team Members lists it.';
		case 'serviceAgreement':
		case 'usageReport':
			return 'Check the ID (Service Agreement > Get Many lists the agreements), and that it belongs to this account or organization.';
		case 'serialNumber':
			return 'Check the serial number as printed on the device or its box.';
		default:
			return 'Check the IDs and names in the node parameters.';
	}
}

/**
 * What a 404 was about, from the request's method and path, narrowed by Particle's words when they name the kind
 * ("Product not found." on a product device's path is about the product). Pure.
 */
export function lookedUp(method: string, path: string | undefined, words?: string): LookedUp {
	const steps = path === undefined ? [] : stepsOf(method, path);
	const said = words === undefined ? undefined : KIND_WORDS.find(([, pattern]) => pattern.test(words))?.[0];
	const index = said === undefined ? -1 : steps.findIndex((step) => step.kind === said);
	const at = index >= 0 ? index : steps.length - 1;
	const step = steps[at];
	if (step === undefined) return { kind: 'unknown', subject: 'it', hint: hintFor(undefined, undefined) };
	const parent = steps[at - 1];
	// A variable or function is named with its device; a device or customer with its product.
	const within = parent !== undefined && step.kind !== 'product' && step.kind !== 'organization' ? ` ${step.kind === 'variable' || step.kind === 'function' ? 'on' : 'in'} ${named(parent)}` : '';
	return { kind: step.kind, subject: `${named(step)}${within}`, hint: hintFor(step, parent, index >= 0) };
}

/** Particle's two ways of saying the device is offline: "Device is not connected" and "...is not currently connected...". */
const NOT_CONNECTED = /\bnot (?:currently )?connected\b/i;
/** Words that name what is missing, so a read of the device would add nothing. */
const NAMES_MISSING_THING = /\b(?:variable|function|device|product)\b.*\bnot found\b/i;

/**
 * Whether one read of the device after this failed call would tell the user something: a 408 (when was it last
 * heard), a 404 that says the device is not connected, or a 404 without words that name what is missing.
 */
export function wantsDeviceState(failure: ParticleFailure): boolean {
	if (failure.status === 408) return true;
	if (failure.status !== 404) return false;
	const words = particleText(failure.body) ?? '';
	return NOT_CONNECTED.test(words) || !NAMES_MISSING_THING.test(words);
}

function deviceLabel(failure: ParticleFailure): string {
	const state = failure.deviceState;
	const device = (failure.path === undefined ? [] : stepsOf(failure.method, failure.path)).find((step) => step.kind === 'device');
	const name = state?.read === true && typeof state.name === 'string' && state.name !== '' ? state.name : undefined;
	if (name !== undefined) return `"${shown(name)}"`;
	return device === undefined ? '' : shown(device.value);
}

/** "Particle last heard from it at ...", or why n8n does not know. */
function lastHeardSentence(state: DeviceState | undefined): string {
	if (state === undefined) return '';
	if (!state.read) return ` n8n could not read when Particle last heard from it (${state.reason}).`;
	if (typeof state.lastHeard === 'string' && state.lastHeard !== '') return ` Particle last heard from it at ${state.lastHeard}.`;
	return ' Particle has no record of hearing from it.';
}

function callWords(failure: ParticleFailure): { attempt: string; notSentAgain: string } {
	const step = failure.path === undefined ? undefined : stepsOf(failure.method, failure.path).at(-1);
	if (step?.kind === 'variable') return { attempt: `read its variable "${shown(step.value)}"`, notSentAgain: 'The read was not sent again.' };
	if (step?.kind === 'function') return { attempt: `call its function "${shown(step.value)}"`, notSentAgain: 'The call was not sent again.' };
	return { attempt: 'reach it', notSentAgain: 'The request was not sent again.' };
}

function isOffline(failure: ParticleFailure, words: string | undefined): boolean {
	if (failure.status !== 404) return false;
	if (words !== undefined && NOT_CONNECTED.test(words)) return true;
	return failure.deviceState?.read === true && failure.deviceState.online === false;
}

function offlineText(failure: ParticleFailure, words: string | undefined): ParticleErrorText {
	const { attempt, notSentAgain } = callWords(failure);
	const label = deviceLabel(failure);
	const state = failure.deviceState;
	// Particle answers "not connected" for a device it still lists as online until the session times out.
	const stillListed =
		state?.read === true && state.online === true
			? ' Particle still lists it as online: a device that lost its connection shows online for a while (up to 46 minutes for a cellular device).'
			: '';
	return {
		message: withParticleWords(`Device ${label === '' ? '' : `${label} `}is offline, so Particle could not ${attempt}`, words),
		description: `${lastHeardSentence(state).trim()}${stillListed} ${notSentAgain} Wait for the device to come online, or use the Particle Trigger's "Device Came Online" event to run this when it does.`.trim(),
		cause: 'temporarily-unavailable',
	};
}

export function describeFailure(failure: ParticleFailure): ParticleErrorText {
	const text = describeAnswer(failure);
	return failure.hint === undefined ? text : { ...text, description: `${text.description} ${failure.hint}` };
}

/**
 * An API user's missing scope: Particle answers 400 with `error: "unauthorized"` ("If an API user attempts to perform
 * an action that it is not permitted to, a standard 400 unauthorized error is returned").
 */
function isApiUserRefusal(body: unknown): boolean {
	return body !== null && typeof body === 'object' && (body as Record<string, unknown>).error === 'unauthorized';
}

function describeAnswer(failure: ParticleFailure): ParticleErrorText {
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
	if (status === 400 && isApiUserRefusal(failure.body)) {
		return {
			message: withParticleWords('The Particle token is not allowed to do this', words),
			description:
				'Particle answers 400 "unauthorized" when an API user lacks the scope for an operation. For an API user, add the missing scope (API User > Update; Particle usually names it above), or use the token of a team member who may do this. Retrying will not help.',
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
		if (isOffline(failure, words)) return offlineText(failure, words);
		const missing = lookedUp(failure.method, failure.path, words);
		return {
			message: withParticleWords(`Particle could not find ${missing.kind === 'unknown' ? 'it' : `the ${missing.subject}`}`, words),
			description: missing.hint,
			cause: 'configuration-invalid',
		};
	}
	if (status === 408) {
		return {
			message: withParticleWords('The device did not answer in time', words),
			description: `The device is probably offline, asleep or busy.${lastHeardSentence(failure.deviceState)} ${isWrite(failure.method) ? WRITE_NOTE : 'It was not sent again.'}`,
			cause: 'temporarily-unavailable',
		};
	}
	if (status === 429 || status === 529) {
		return {
			message: withParticleWords('Particle is rate limiting requests from this n8n', words),
			// A request that never left n8n's gate was never sent: its hint says so, "not sent again" would not be true.
			description: `${failure.hint !== undefined && failure.retries === 0 ? '' : `${rateLimitHistory(failure)} `}Particle allows about 10,000 requests per 5 minutes per IP address: send fewer requests, or lower the node's concurrency.`,
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
