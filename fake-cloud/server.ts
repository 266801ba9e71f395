/**
 * The HTTP server: records each request, applies latency, faults and the rate limit, authenticates, routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Clock, type ClockSource } from './clock';
import { badRequest, defaultBodyForStatus, invalidToken, notFound, rateLimited } from './errors';
import type { Fleet } from './fleet';
import {
	ApiError,
	BodyTooLargeError,
	parseBody,
	parseTarget,
	readBodyBytes,
	writeReply,
	type ParsedBody,
	type Reply,
	type RequestTarget,
} from './http';
import { closeIntegrations, integrationsOf } from './integrations';
import { CloudClosedError, FaultQueue, RateLimiter, Sleeper } from './knobs';
import { matchRoute, type RequestContext } from './router';
import { USER_TOKEN_LIFETIME } from './routes/auth';
import { routes } from './routes';
import { FleetScript, type FleetScriptOptions } from './script';
import { seedFleet } from './seed';
import { randomToken, TokenStore, type TokenEndpointLimits, type TokenGrant, type TokenRecord } from './tokens';
import type { FakeCloud, FakeCloudOptions, FaultRule, IssueTokenSpec, RateLimitOptions, RecordedRequest } from './types';
import type { WebhookDelivery, WebhookTiming } from './webhooks';

const HOST = '127.0.0.1';
const BODY_LIMIT = 1024 * 1024;
const API_USER_SCOPES = ['devices:list', 'devices:get'];

export class FakeCloudServer implements FakeCloud {
	readonly fleet: Fleet;
	readonly requests: RecordedRequest[] = [];
	readonly tokens: FakeCloud['tokens'];
	readonly productClient: FakeCloud['productClient'];

	private readonly server: Server;
	private readonly sockets = new Set<Socket>();
	private readonly tokenStore = new TokenStore();
	private readonly sleeper = new Sleeper();
	private readonly faults = new FaultQueue();
	private limiter: RateLimiter | null = null;
	private latencyMs: number;
	private readonly tokenLifetimeSeconds: number;
	private boundPort = 0;
	private readonly scripts = new Set<FleetScript>();
	private readonly clock: Clock;
	/** Requests not answered yet (streams until they end), for RecordedRequest.inFlight. */
	private readonly serving = new Set<RecordedRequest>();

	constructor(private readonly options: FakeCloudOptions = {}) {
		const count = (value: number | undefined, fallback: number, name: string): number => {
			const n = value ?? fallback;
			if (!Number.isInteger(n) || n < 0) throw new RangeError(`fake cloud: ${name} must be a non-negative integer`);
			return n;
		};
		const products = count(options.products, 1, 'products');
		// Every token kind and the product client hang off product[0].
		if (products < 1) throw new RangeError('fake cloud: products must be at least 1');
		this.latencyMs = count(options.latencyMs, 0, 'latencyMs');
		this.tokenLifetimeSeconds = count(options.tokenLifetimeSeconds, 3600, 'tokenLifetimeSeconds');
		if (options.rateLimit) this.limiter = new RateLimiter(options.rateLimit);
		if (options.tokenEndpoint) this.tokenStore.tokenEndpoint.configure(options.tokenEndpoint);

		this.clock = new Clock(options.now);
		const now = this.clock.now();
		const { fleet, secrets } = seedFleet({
			seed: options.seed ?? 1,
			devices: count(options.devices, 4, 'devices'),
			products,
			productDevices: count(options.productDevices, 6, 'productDevices'),
			clock: this.clock,
		});
		this.fleet = fleet;
		const product = fleet.products[0];
		const client = fleet.oauthClients.find((c) => c.productId === product.id);
		if (!client) throw new Error('fake cloud: seeding made no product client');
		this.productClient = { clientId: client.id, clientSecret: client.secret, productId: product.id, productSlug: product.slug };

		const seeded: Array<[string, IssueTokenSpec]> = [
			[secrets.userToken, { kind: 'user' }],
			[secrets.apiUserToken, { kind: 'apiUser', scopes: API_USER_SCOPES }],
			// Seeded customer tokens live as long as user tokens, so a CLI session can use them all day.
			[secrets.customerToken, { kind: 'customer', lifetimeSeconds: USER_TOKEN_LIFETIME }],
		];
		for (const [token, spec] of seeded) this.tokenStore.add(token, this.grantFor(spec), now);
		this.tokens = { user: secrets.userToken, apiUser: secrets.apiUserToken, customer: secrets.customerToken };

		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	get port(): number {
		return this.boundPort;
	}

	get url(): string {
		return `http://${HOST}:${this.boundPort}`;
	}

	listen(): Promise<void> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port ?? 0, HOST, () => {
				this.server.off('error', reject);
				this.boundPort = (this.server.address() as AddressInfo).port;
				resolve();
			});
		});
	}

	close(): Promise<void> {
		for (const script of this.scripts) script.stop();
		this.sleeper.cancelAll();
		this.fleet.streams.dropAll();
		closeIntegrations(this.fleet);
		return new Promise((resolve) => {
			this.server.close(() => resolve());
			for (const socket of this.sockets) socket.destroy();
		});
	}

	clearRequests(): void {
		this.requests.length = 0;
	}

	injectFault(rule: FaultRule): void {
		this.faults.add(rule);
	}

	clearFaults(): void {
		this.faults.clear();
	}

	setRateLimit(limit: RateLimitOptions | null): void {
		this.limiter = limit ? new RateLimiter(limit) : null;
	}

	setTokenEndpointLimits(limits: Partial<TokenEndpointLimits>): void {
		this.tokenStore.tokenEndpoint.configure(limits);
	}

	setLatency(ms: number): void {
		if (!(ms >= 0)) throw new RangeError('fake cloud: latency must be >= 0');
		this.latencyMs = ms;
	}

	issueToken(spec: IssueTokenSpec): string {
		const token = randomToken();
		this.tokenStore.add(token, this.grantFor(spec), this.clock.now());
		return token;
	}

	/** Defaults: product[0] (or the org given); its first customer (created when a new email is given); kind-specific lifetimes. */
	private grantFor(spec: IssueTokenSpec): TokenGrant {
		const org = spec.org === undefined ? undefined : this.fleet.findOrganization(spec.org);
		if (spec.org !== undefined && (spec.kind !== 'apiUser' || !org)) throw new Error(`fake cloud: no organization API user for ${spec.org}`);
		const product = spec.kind === 'user' || org ? undefined : this.fleet.findProduct(spec.productId ?? this.fleet.products[0].id);
		if (spec.kind !== 'user' && !org && !product) throw new Error(`fake cloud: no product ${spec.productId}`);
		let customer: string | null = null;
		if (spec.kind === 'customer' && product) {
			customer = spec.customer ?? product.customers[0]?.username ?? 'customer@example.com';
			if (!this.fleet.findCustomer(product.id, customer)) {
				product.customers.push({ id: randomToken().slice(0, 24), username: customer, productId: product.id });
			}
		}
		const productClient = this.fleet.oauthClients.find((c) => c.productId === product?.id);
		const defaults: Record<IssueTokenSpec['kind'], { lifetime: number | null; client: string }> = {
			user: { lifetime: USER_TOKEN_LIFETIME, client: 'particle' },
			// API-user tokens do not expire (how /v1/access_tokens/current shows that is unconfirmed; we send null).
			apiUser: { lifetime: null, client: 'api-user' },
			product: { lifetime: this.tokenLifetimeSeconds, client: productClient?.id ?? 'particle' },
			customer: { lifetime: this.tokenLifetimeSeconds, client: productClient?.id ?? 'particle' },
		};
		return {
			kind: spec.kind,
			scopes: [...(spec.scopes ?? [])],
			productId: product?.id ?? null,
			orgId: org?.id ?? null,
			customer,
			client: defaults[spec.kind].client,
			lifetimeSeconds: spec.lifetimeSeconds === undefined ? defaults[spec.kind].lifetime : spec.lifetimeSeconds,
		};
	}

	revokeToken(token: string): void {
		this.tokenStore.revoke(token);
	}

	expireToken(token: string): void {
		this.tokenStore.expire(token, this.clock.now());
	}

	setOnline(deviceId: string, online: boolean): void {
		this.fleet.setOnline(deviceId, online);
	}

	restartSession(deviceId: string): void {
		this.fleet.restartSession(deviceId);
	}

	setVariable(deviceId: string, name: string, value: number | string | boolean): void {
		this.fleet.setVariable(deviceId, name, value);
	}

	setSlowDevice(deviceId: string, delayMs: number | null): void {
		this.fleet.requireDevice(deviceId).slowDelayMs = delayMs;
	}

	setVitals(deviceId: string, patch: Record<string, unknown>): void {
		this.fleet.reportVitals(deviceId, patch);
	}

	setVitalsInterval(deviceId: string, minutes: number): void {
		this.fleet.requireDevice(deviceId);
		this.fleet.vitals.setInterval(deviceId, minutes);
	}

	startFleetScript(options: FleetScriptOptions = {}): FleetScript {
		const script = new FleetScript(this.fleet, options);
		this.scripts.add(script);
		return script;
	}

	setUsageReportDelay(ms: number): void {
		if (!(ms >= 0)) throw new RangeError('fake cloud: usage report delay must be >= 0');
		this.fleet.usageReportDelayMs = ms;
	}

	dropStreams(lastChunk?: string): void {
		this.fleet.streams.dropAll(lastChunk);
	}

	silenceStreams(silent: boolean): void {
		this.fleet.streams.silenced = silent;
	}

	openStreams(): number {
		return this.fleet.streams.openCount;
	}

	webhookDeliveries(): WebhookDelivery[] {
		return [...integrationsOf(this.fleet).sender.deliveries];
	}

	webhooksSettled(): Promise<void> {
		return integrationsOf(this.fleet).sender.settled();
	}

	setWebhookTiming(timing: Partial<WebhookTiming>): void {
		const sender = integrationsOf(this.fleet).sender;
		sender.timing = { ...sender.timing, ...timing };
	}

	now(): number {
		return this.clock.now();
	}

	setClock(now: ClockSource): void {
		this.clock.set(now);
	}

	advanceClock(ms: number): void {
		this.clock.advance(ms);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const target = parseTarget(req.url ?? '/');
		const record: RecordedRequest = {
			method: req.method ?? 'GET',
			path: target.rawPath,
			decodedPath: target.decodedPath,
			query: target.query,
			headers: { ...req.headers },
			authorization: req.headers.authorization,
			contentType: req.headers['content-type'],
			rawBody: '',
			body: undefined,
			status: 0,
			// Real time on purpose: tests measure the client's waits with it, whatever the fake's clock says.
			at: Date.now(),
			inFlight: 0,
		};
		this.requests.push(record);
		this.serving.add(record);
		record.inFlight = this.serving.size;
		// A dropped connection or an ended stream stops counting here; an answer already did in respond().
		res.on('close', () => this.serving.delete(record));
		try {
			const bytes = await readBodyBytes(req, BODY_LIMIT);
			record.rawBody = bytes.toString('utf8');
			const body = parseBody(record.contentType, record.rawBody, bytes);
			record.body = body.value;
			await this.sleeper.sleep(this.latencyMs);
			const fault = this.faults.take(record.method, target.decodedPath);
			if (fault?.delayMs) await this.sleeper.sleep(fault.delayMs);
			if (fault?.dropConnection) {
				req.socket.destroy();
				return;
			}
			if (fault?.status !== undefined) return this.respond(res, record, faultReply(fault));
			if (this.limiter && !this.limiter.allow(this.clock.now())) throw rateLimited(this.limiter.options.retryAfterSeconds);
			const reply = await this.dispatch(record.method, target, req, body);
			if (reply.stream) {
				record.status = reply.status;
				reply.stream(req, res);
				return;
			}
			this.respond(res, record, reply);
		} catch (error) {
			if (error instanceof CloudClosedError) return;
			if (error instanceof ApiError) return this.respond(res, record, error.toReply());
			if (error instanceof BodyTooLargeError) return this.respond(res, record, { status: 413, json: defaultBodyForStatus(413) });
			const detail = error instanceof Error ? error.stack : String(error);
			process.stderr.write(`fake cloud: ${record.method} ${record.path} failed: ${detail}\n`);
			this.respond(res, record, { status: 500, json: defaultBodyForStatus(500) });
		}
	}

	private dispatch(method: string, target: RequestTarget, req: IncomingMessage, body: ParsedBody): Reply | Promise<Reply> {
		const match = matchRoute(routes, method, target.rawSegments);
		if (!match) throw notFound();
		// Body parsers reject broken JSON before any route logic (text unconfirmed).
		if (body.invalid) throw badRequest('Invalid JSON body');
		const ctx: RequestContext = {
			params: match.params,
			query: target.query,
			body,
			headers: req.headers,
			fleet: this.fleet,
			tokens: this.tokenStore,
			tokenLifetimeSeconds: this.tokenLifetimeSeconds,
			now: () => this.clock.now(),
			sleep: (ms) => this.sleeper.sleep(ms),
		};
		const who = match.route.open ? undefined : this.authenticate(req, target, body);
		return match.route.handler(ctx, who);
	}

	/** Authorization header first, then `?access_token=`, then `access_token` in a form body. */
	private authenticate(req: IncomingMessage, target: RequestTarget, body: ParsedBody): TokenRecord {
		const header = req.headers.authorization ?? '';
		let token: string | undefined;
		if (/^Bearer\b/i.test(header)) {
			token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
			if (!token) throw invalidToken();
		} else {
			const fromQuery = target.query.access_token;
			const form = body.kind === 'form' ? (body.value as Record<string, string> | undefined) : undefined;
			token = (Array.isArray(fromQuery) ? fromQuery[0] : fromQuery) ?? form?.access_token;
		}
		const record = token ? this.tokenStore.resolve(token, this.clock.now()) : undefined;
		if (!record) throw invalidToken();
		return record;
	}

	private respond(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
		record.status = reply.status;
		// Before the bytes go out, so a client's next request can never find this one still counted.
		this.serving.delete(record);
		// A reply may already be on its way (a late error) or the client may be gone.
		if (res.destroyed || res.headersSent) return;
		writeReply(res, reply);
	}
}

function faultReply(fault: FaultRule): Reply {
	const status = fault.status ?? 500;
	const body = 'body' in fault ? fault.body : defaultBodyForStatus(status);
	if (typeof body === 'string') return { status, text: body, headers: fault.headers };
	return { status, json: body, headers: fault.headers };
}
