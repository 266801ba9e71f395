/**
 * Requests made with the product OAuth client itself (creating a customer, minting a customer token), and the customer
 * tokens of one run. Particle allows 100 token requests per 5 minutes per IP address and blocks the address for 30
 * minutes after 10 failed ones in a row, so a run reuses a customer's token while that customer repeats, and sends no
 * more such requests once Particle refused the client (or after a few failures in a row). Tokens are never output.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ParticleItemClient, RequestPayload } from '../../../shared/client';
import { OAUTH_TOKEN_PATH } from '../../../shared/paths';
import { requireProductClient } from '../../../shared/transport';

export interface CustomerToken extends IDataObject {
	access_token: string;
}

/** Lifetime of the tokens a run mints for its own use (claim codes); reused until a minute before they end. */
const RUN_TOKEN_LIFETIME_SECONDS = 300;
const RUN_TOKEN_REUSE_MS = (RUN_TOKEN_LIFETIME_SECONDS - 60) * 1000;
/** Half of Particle's lockout threshold: a run never brings the IP address near it. */
const MAX_TOKEN_FAILURES_IN_A_ROW = 5;
const LOCKOUT_NOTE =
	'Particle blocks an IP address for 30 minutes after 10 failed token requests in a row, so n8n sent no more of them in this run.';

interface RunState {
	/** Set once Particle refused the client; every later request of the run fails with it, unsent. */
	refusal?: string;
	tokenFailuresInARow: number;
	lastTokenFailure?: string;
	tokens: Map<string, { token: Promise<CustomerToken>; mintedAt: number }>;
	/** The request with the client now in flight: the next waits for it (see `sendWithProductClient`). */
	inFlight: Promise<unknown>;
}

/** One state per node run: n8n gives each run its own execution context, shared by all its items. */
const runs = new WeakMap<IExecuteFunctions, RunState>();

function stateOf(context: IExecuteFunctions): RunState {
	let state = runs.get(context);
	if (!state) {
		state = { tokenFailuresInARow: 0, tokens: new Map(), inFlight: Promise.resolve() };
		runs.set(context, state);
	}
	return state;
}

interface FailureLike {
	message?: unknown;
	httpCode?: unknown;
	failure?: { cause?: unknown };
}

/** A refused client: 401/403, or a failure n8n's error marks as a credential problem (the token exchange's too). */
function isClientRefusal(error: FailureLike): boolean {
	const status = Number(error.httpCode);
	return status === 401 || status === 403 || error.failure?.cause === 'credential-invalid';
}

/** A 4xx other than 429 is what Particle counts as a failed token request; a wait or an outage is not. */
function isFailedTokenRequest(error: FailureLike): boolean {
	const status = Number(error.httpCode);
	return status >= 400 && status < 500 && status !== 429;
}

/** The transport's errors are n8n errors already and pass on as they are; anything else is wrapped. */
function asN8nError(context: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

function unsent(context: IExecuteFunctions, itemIndex: number, message: string, description: string): NodeOperationError {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description: `${description} Nothing was sent for this item.` });
}

type ClientPayload = Omit<RequestPayload, 'withProductClient' | 'asToken'>;

/**
 * Sends one request signed by the credential with the product client's ID and secret (no bearer token). One at a time
 * per run, whatever the node's concurrency: a refusal or a failure is known before the next request goes, so items
 * running side by side cannot together send the failed token requests that make Particle block the IP address.
 */
export async function sendWithProductClient<T = IDataObject>(
	context: IExecuteFunctions,
	client: ParticleItemClient,
	method: IHttpRequestMethods,
	path: string,
	payload: ClientPayload,
): Promise<T> {
	const state = stateOf(context);
	const turn = state.inFlight.then(async () => await sendNow<T>(context, state, client, method, path, payload));
	state.inFlight = turn.catch(() => undefined);
	return await turn;
}

async function sendNow<T>(
	context: IExecuteFunctions,
	state: RunState,
	client: ParticleItemClient,
	method: IHttpRequestMethods,
	path: string,
	payload: ClientPayload,
): Promise<T> {
	const { itemIndex } = client;
	const isTokenRequest = path === OAUTH_TOKEN_PATH;
	if (state.refusal !== undefined) {
		throw unsent(
			context,
			itemIndex,
			'Not sent: Particle refused the product OAuth client earlier in this run',
			`${state.refusal} ${LOCKOUT_NOTE} Fix the client ID and secret in the Particle API credential, then run again.`,
		);
	}
	if (isTokenRequest && state.tokenFailuresInARow >= MAX_TOKEN_FAILURES_IN_A_ROW) {
		throw unsent(
			context,
			itemIndex,
			`Not sent: ${state.tokenFailuresInARow} customer token requests failed in a row in this run`,
			`${LOCKOUT_NOTE} The last failure: ${state.lastTokenFailure ?? 'unknown'}`,
		);
	}
	await requireProductClient(context, itemIndex);
	try {
		const response = await client.send<T>(method, path, { ...payload, withProductClient: true });
		if (isTokenRequest) state.tokenFailuresInARow = 0;
		return response;
	} catch (caught) {
		const error = caught as FailureLike;
		const message = typeof error.message === 'string' ? error.message : 'The request failed';
		if (isClientRefusal(error)) {
			state.refusal ??= message;
		} else if (isTokenRequest && isFailedTokenRequest(error)) {
			state.tokenFailuresInARow++;
			state.lastTokenFailure = message;
		}
		throw asN8nError(context, caught, itemIndex);
	}
}

/** A new token limited to one customer's devices, as Particle answers it (`access_token`, `expires_in`...). */
export async function mintCustomerToken(
	context: IExecuteFunctions,
	client: ParticleItemClient,
	customer: string,
	expiresIn: number,
): Promise<CustomerToken> {
	const form = { grant_type: 'client_credentials', scope: `customer=${customer}`, expires_in: String(expiresIn) };
	const token = await sendWithProductClient<CustomerToken>(context, client, 'POST', OAUTH_TOKEN_PATH, { form });
	if (typeof token?.access_token !== 'string' || token.access_token === '') {
		throw new NodeOperationError(context.getNode(), 'Particle answered the customer token request without a token', { itemIndex: client.itemIndex });
	}
	return token;
}

/**
 * The run's short-lived token for this customer of this product, minted once and shared by the items that name the
 * same customer (also while they run side by side). A failed mint is forgotten, so a later item may try again.
 */
export async function runCustomerToken(context: IExecuteFunctions, client: ParticleItemClient, product: string, customer: string): Promise<string> {
	const { itemIndex } = client;
	const { tokens } = stateOf(context);
	const key = JSON.stringify([product, customer]);
	const cached = tokens.get(key);
	if (cached && Date.now() - cached.mintedAt < RUN_TOKEN_REUSE_MS) {
		try {
			return (await cached.token).access_token;
		} catch (error) {
			// Another item's request, still in flight when this one started: its error belongs to that item.
			const message = (error as { message?: unknown }).message;
			throw unsent(context, itemIndex, 'Not sent: the token request for this customer failed for another item', String(message ?? ''));
		}
	}
	const entry = { token: mintCustomerToken(context, client, customer, RUN_TOKEN_LIFETIME_SECONDS), mintedAt: Date.now() };
	tokens.set(key, entry);
	try {
		return (await entry.token).access_token;
	} catch (error) {
		if (tokens.get(key) === entry) tokens.delete(key);
		throw asN8nError(context, error, itemIndex);
	}
}
