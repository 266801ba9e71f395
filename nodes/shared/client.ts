/**
 * A Particle client for one item (or one poll, one trigger, one editor lookup): the transport with the item index and
 * the run's rate-limit gate already bound, so an operation says what to ask and nothing about how. Made once per item
 * by the router; every request it sends goes through the one door in transport.ts.
 */
import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, ITriggerFunctions } from 'n8n-workflow';

import {
	openStream,
	request,
	requestAllPages,
	requestDownload,
	type Download,
	type DownloadRequest,
	type OpenedStream,
	type PageOptions,
	type ParticleContext,
	type ParticleRequest,
	type RateLimitGate,
} from './transport';

/** What a request carries besides its method and path. */
export type RequestPayload = Omit<ParticleRequest, 'method' | 'path' | 'itemIndex' | 'gate'>;

/** One request as a value, for helpers that send it on a caller's behalf (a call to the device). */
export type ParticleCall = RequestPayload & { method: IHttpRequestMethods; path: string };

export interface ParticleClient {
	/** The input item the requests are for (errors point at it); undefined outside an item loop. */
	readonly itemIndex?: number;
	/** A GET, retried on transient failures. */
	get<T = IDataObject>(path: string, payload?: RequestPayload): Promise<T>;
	/** Any method; writes are never sent twice after a 5xx, a 408 or a reset. */
	send<T = IDataObject>(method: IHttpRequestMethods, path: string, payload?: RequestPayload): Promise<T>;
	/** Every page of a paged list, or the first `limit` entries, each entry once. */
	listAll<T = IDataObject>(path: string, pages: PageOptions & { query?: IDataObject }): Promise<T[]>;
}

/** The client of an action node's item: it can also download into binary data. */
export interface ParticleItemClient extends ParticleClient {
	readonly itemIndex: number;
	/** A GET answered as a stream of the asked media type (a CSV export), never held whole. */
	download(spec: Omit<DownloadRequest, 'itemIndex' | 'gate'>): Promise<Download>;
}

/** The client of a trigger: it can also open the event stream. */
export interface ParticleStreamClient extends ParticleClient {
	openStream(path: string, signal: AbortSignal): Promise<OpenedStream>;
}

export interface ClientScope {
	itemIndex?: number;
	/** Shared by every request of one run, so a 429 holds them all. */
	gate?: RateLimitGate;
}

function isExecute(context: ParticleContext): context is IExecuteFunctions {
	return 'getInputData' in context && 'continueOnFail' in context;
}

function isTrigger(context: ParticleContext): context is ITriggerFunctions {
	return 'emit' in context && 'emitError' in context;
}

export function particleClient(context: IExecuteFunctions, scope: ClientScope & { itemIndex: number }): ParticleItemClient;
export function particleClient(context: ITriggerFunctions, scope?: ClientScope): ParticleStreamClient;
export function particleClient(context: ParticleContext, scope?: ClientScope): ParticleClient;
export function particleClient(
	context: ParticleContext,
	{ itemIndex, gate }: ClientScope = {},
): ParticleClient | ParticleItemClient | ParticleStreamClient {
	const bound = { itemIndex, gate };
	const client: ParticleClient = {
		itemIndex,
		get: async <T>(path: string, payload: RequestPayload = {}) =>
			await request<T>(context, { ...payload, method: 'GET', path, ...bound }),
		send: async <T>(method: IHttpRequestMethods, path: string, payload: RequestPayload = {}) =>
			await request<T>(context, { ...payload, method, path, ...bound }),
		listAll: async <T>(path: string, { query, ...pages }: PageOptions & { query?: IDataObject }) =>
			await requestAllPages<T>(context, { method: 'GET', path, query, ...bound }, pages),
	};
	if (isExecute(context)) {
		return { ...client, download: async (spec) => await requestDownload(context, { ...spec, ...bound }) };
	}
	if (isTrigger(context)) {
		return { ...client, openStream: async (path, signal) => await openStream(context, path, signal) };
	}
	return client;
}
