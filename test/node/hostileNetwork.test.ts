/**
 * The nodes against servers that misbehave as real networks do, through n8n's engine: a Base URL that redirects to
 * another host, accepts and never answers, answers an HTML page, hangs up after ":ok" or sends an endless line; and
 * the event stream's reconnects once activation is over, when n8n 2.41 no longer evaluates expressions.
 */
import type { IAuthenticateGeneric, INodeParameters } from 'n8n-workflow';

import { ParticleApi } from '../../credentials/ParticleApi.credentials';
import { openLimiterFor } from '../../nodes/shared/eventStream';
import { apiCalls, apiUserToken, productClient, tokenExchanges, useFakeCloud, userToken } from '../harness/cloud';
import type { CredentialData } from '../harness/credentials';
import { TestCredentialsHelper } from '../harness/credentials';
import { runNode, startTrigger, type RunningTrigger } from '../harness/engine';
import { startHostileServer, type HostileServer } from '../harness/hostile';
import { pause as sleep, until as untilWithin } from '../harness/wait';

const cloud = useFakeCloud({ devices: 3, productDevices: 3 });

const running: RunningTrigger[] = [];
const servers: HostileServer[] = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map(async (trigger) => await trigger.close()));
	await Promise.all(servers.splice(0).map(async (server) => await server.close()));
});

async function hostile(upstream?: string): Promise<HostileServer> {
	const server = await startHostileServer(upstream);
	servers.push(server);
	return server;
}

async function trigger(parameters: INodeParameters, credentials: CredentialData, credentialsHelper?: TestCredentialsHelper) {
	const started = await startTrigger({ parameters, credentials, credentialsHelper });
	running.push(started);
	return started;
}

const until = async (what: string, condition: () => boolean, timeoutMs = 8000) => await untilWithin(what, condition, timeoutMs);

function publish(name: string, data: string, coreid = cloud().fleet.sandboxDevices()[0].id, productID?: number) {
	cloud().fleet.publish({
		name,
		data,
		ttl: 60,
		private: true,
		published_at: new Date().toISOString(),
		coreid,
		userid: cloud().fleet.user.id,
		...(productID !== undefined ? { productID } : {}),
	});
}

const opensOf = (path: string) => apiCalls(cloud()).filter((call) => call.path === path);
const seenOn = (server: HostileServer, path: string) => server.seen.filter((request) => request.url.startsWith(path));

/** The credential as it was: a generic `authenticate` expression, which n8n evaluates in its expression engine. */
class ExpressionAuthParticleApi extends ParticleApi {
	override authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization:
					'={{ "Bearer " + ($credentials.authMode === "oauthClient" ? $credentials.sessionToken : $credentials.authMode === "apiUserToken" ? $credentials.apiUserToken : $credentials.accessToken) }}',
			},
		},
	};
}

describe('event stream reconnects after activation (n8n 2.41 evaluates no expression then)', () => {
	it('shows the old failure: a generic authenticate expression cannot reopen the stream', async () => {
		const started = await trigger({ scope: 'mine', eventName: 'bridge' }, userToken(cloud()), new TestCredentialsHelper(new ExpressionAuthParticleApi()));
		expect(opensOf('/v1/devices/events/bridge')).toHaveLength(1);
		cloud().dropStreams();
		await sleep(2500);
		// The reopen fails before sending: nothing reaches the cloud, as seen in a real n8n.
		expect(opensOf('/v1/devices/events/bridge')).toHaveLength(1);
		await started.close();
	});

	const modes: Array<[string, () => CredentialData, INodeParameters, () => { coreid: string; productID?: number }]> = [
		['a user token', () => userToken(cloud()), { scope: 'mine', eventName: 'mode' }, () => ({ coreid: cloud().fleet.sandboxDevices()[0].id })],
		[
			'an API-user token',
			() => apiUserToken(cloud(), cloud().issueToken({ kind: 'apiUser', productId: cloud().productClient.productId, scopes: ['events:get'] })),
			{ scope: 'product', product: { __rl: true, mode: 'id', value: '' }, eventName: 'mode' },
			() => ({ coreid: cloud().fleet.productDevices(cloud().productClient.productId)[0].id, productID: cloud().productClient.productId }),
		],
		[
			'the product OAuth client',
			() => productClient(cloud()),
			{ scope: 'product', product: { __rl: true, mode: 'id', value: '' }, eventName: 'mode' },
			() => ({ coreid: cloud().fleet.productDevices(cloud().productClient.productId)[0].id, productID: cloud().productClient.productId }),
		],
	];

	it.each(modes)('reopens after a drop and after a 503 on reopen, with %s; each event once', async (_mode, credentials, parameters, source) => {
		const params = { ...parameters };
		if ((params.product as { value?: string } | undefined)?.value === '') {
			params.product = { __rl: true, mode: 'id', value: String(cloud().productClient.productId) };
		}
		const path = params.scope === 'mine' ? '/v1/devices/events/mode' : `/v1/products/${cloud().productClient.productId}/events/mode`;
		const started = await trigger(params, credentials());
		const { coreid, productID } = source();
		const emitTo = (data: string) => publish('mode', data, coreid, productID);

		cloud().dropStreams();
		await until('the reopen after a drop', () => opensOf(path).length === 2 && cloud().openStreams() === 1);
		emitTo('after-drop');
		// A stream has no replay: the next drop must not come before this event has arrived.
		await until('the event after the drop', () => started.emitted.length === 1);

		cloud().injectFault({ method: 'GET', path, status: 503, times: 1 });
		cloud().dropStreams();
		// The back-off grows with each reopen (it resets only after a connection stayed up): allow for it.
		await until('a stream after a 503', () => opensOf(path).length === 4 && cloud().openStreams() === 1, 15_000);
		emitTo('after-503');

		await until('the event after the 503', () => started.emitted.length >= 2);
		await sleep(100);
		expect(started.emitted.map((event) => event.data)).toEqual(['after-drop', 'after-503']);
		expect(started.errors).toEqual([]);
		for (const open of opensOf(path)) {
			expect(open.authorization).toMatch(/^Bearer [0-9a-f]{40}$/);
			expect(open.query).toEqual({});
		}
	}, 30_000);

	it('reopens a silent stream once the watchdog (15 s) gives up on it; the next event runs once', async () => {
		const started = await trigger({ scope: 'mine', eventName: 'hush' }, userToken(cloud()));
		cloud().silenceStreams(true);
		await until('the reopen of a silent stream', () => opensOf('/v1/devices/events/hush').length === 2, 25_000);
		cloud().silenceStreams(false);
		await until('one open stream', () => cloud().openStreams() === 1);
		publish('hush', 'after-silence');
		await until('the event', () => started.emitted.length === 1);
		await sleep(100);
		expect(started.emitted.map((event) => event.data)).toEqual(['after-silence']);
	}, 40_000);

	it('reopens with a fresh product token after the old one expired (401, exchange, reopen)', async () => {
		const product = String(cloud().productClient.productId);
		const path = `/v1/products/${product}/events/refresh`;
		const helper = new TestCredentialsHelper();
		const started = await trigger({ scope: 'product', product: { __rl: true, mode: 'id', value: product }, eventName: 'refresh' }, productClient(cloud()), helper);
		const firstToken = opensOf(path)[0].authorization?.slice('Bearer '.length) ?? '';
		cloud().expireToken(firstToken);
		cloud().dropStreams();
		await until('a stream with a new token', () => cloud().openStreams() === 1 && opensOf(path).length >= 3);
		expect(tokenExchanges(cloud())).toHaveLength(2);
		expect(opensOf(path).at(-1)?.authorization).not.toBe(`Bearer ${firstToken}`);
		publish('refresh', 'fresh', cloud().fleet.productDevices(Number(product))[0].id, Number(product));
		await until('the event', () => started.emitted.length === 1);
		expect(started.errors).toEqual([]);
	});
});

describe('no credential follows a redirect', () => {
	async function redirecting(): Promise<{ front: HostileServer; elsewhere: HostileServer; credentials: CredentialData }> {
		const elsewhere = await hostile();
		const front = await hostile(cloud().url);
		front.behave({ kind: 'redirect', to: elsewhere.url });
		return { front, elsewhere, credentials: { ...userToken(cloud()), baseUrl: front.url } };
	}

	it.each([
		['a read', { resource: 'device', operation: 'getAll', returnAll: true }],
		['a paged read', { resource: 'device', operation: 'getAll', scope: 'product', product: { __rl: true, mode: 'id', value: '' }, returnAll: true }],
		['a function call', { resource: 'function', operation: 'call', device: { __rl: true, mode: 'id', value: '' }, functionName: 'led', argument: 'on' }],
	])('%s: the other host receives nothing, and the error says why', async (_name, parameters) => {
		const { front, elsewhere, credentials } = await redirecting();
		const params = { ...parameters } as INodeParameters;
		if ((params.product as { value?: string } | undefined)?.value === '') params.product = { __rl: true, mode: 'id', value: String(cloud().productClient.productId) };
		if ((params.device as { value?: string } | undefined)?.value === '') params.device = { __rl: true, mode: 'id', value: cloud().fleet.sandboxDevices()[0].id };
		const result = await runNode({ parameters: params, credentials });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/redirect \(HTTP 307 to http:\/\/127\.0\.0\.1:\d+\).*does not follow/);
		expect(front.seen).toHaveLength(1);
		expect(elsewhere.seen).toEqual([]);
	});

	it("the product OAuth client's token exchange: the client ID and secret stay home", async () => {
		const { front, elsewhere } = await redirecting();
		const result = await runNode({ parameters: { resource: 'device', operation: 'getAll', returnAll: true }, credentials: { ...productClient(cloud()), baseUrl: front.url } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/token exchange with a redirect \(HTTP 307\)/);
		expect(front.seen.map((request) => request.url)).toEqual(['/oauth/token']);
		expect(elsewhere.seen).toEqual([]);
		expect(JSON.stringify(result.error)).not.toContain(cloud().productClient.clientSecret);
	});

	it('the event stream: activation fails, and the other host receives nothing', async () => {
		const { front, elsewhere, credentials } = await redirecting();
		await expect(startTrigger({ parameters: { scope: 'mine' }, credentials })).rejects.toThrow(/redirect \(HTTP 307 to http:\/\/127\.0\.0\.1:\d+\)/);
		expect(front.seen).toHaveLength(1);
		expect(elsewhere.seen).toEqual([]);
	});

	it('the event stream, on a reopen: the trigger stops and reports it; the other host receives nothing', async () => {
		const elsewhere = await hostile();
		const front = await hostile(cloud().url);
		const started = await trigger({ scope: 'mine', eventName: 'moved' }, { ...userToken(cloud()), baseUrl: front.url });
		front.behave({ kind: 'redirect', to: elsewhere.url });
		cloud().dropStreams();
		await until('the error reported to n8n', () => started.errors.length === 1);
		expect(started.errors[0].message).toMatch(/redirect/);
		expect(elsewhere.seen).toEqual([]);
	});
});

describe('nothing hangs', () => {
	it('an open that is never answered: activation ends within the silence timeout, and close() frees the socket', async () => {
		const front = await hostile(cloud().url);
		front.behave({ kind: 'hang' });
		const started = await trigger({ scope: 'mine', eventName: 'hang' }, { ...userToken(cloud()), baseUrl: front.url });
		// Activation settled (the jest timeout would say otherwise); the trigger keeps trying in the background.
		await until('a second open after the first timed out', () => seenOn(front, '/v1/devices/events/hang').length >= 2, 8000);
		await started.close();
		await until('no socket left open', () => front.openSockets() === 0, 3000);
	}, 40_000);

	it('a reopen that is never answered is given up on, and the stream comes back once the host answers', async () => {
		const front = await hostile(cloud().url);
		const started = await trigger({ scope: 'mine', eventName: 'stuck' }, { ...userToken(cloud()), baseUrl: front.url });
		front.behave({ kind: 'hang' }, '/v1/devices/events');
		cloud().dropStreams();
		await until('a hung reopen', () => seenOn(front, '/v1/devices/events/stuck').length === 2);
		front.behave({ kind: 'pass' }, '/v1/devices/events');
		await until('a working stream', () => cloud().openStreams() === 1, 25_000);
		publish('stuck', 'back');
		await until('the event', () => started.emitted.length === 1);
		expect(started.errors).toEqual([]);
	}, 40_000);

	it('an HTML page instead of an event stream: the first open fails activation clearly', async () => {
		const front = await hostile(cloud().url);
		front.behave({ kind: 'html' });
		await expect(startTrigger({ parameters: { scope: 'mine' }, credentials: { ...userToken(cloud()), baseUrl: front.url } })).rejects.toThrow(
			/"text\/html" instead of text\/event-stream/,
		);
	});

	it('an HTML page on reopens: reported to n8n after a few tries, not retried forever in silence', async () => {
		const front = await hostile(cloud().url);
		const started = await trigger({ scope: 'mine', eventName: 'portal' }, { ...userToken(cloud()), baseUrl: front.url });
		front.behave({ kind: 'html' }, '/v1/devices/events');
		cloud().dropStreams();
		await until('the error reported to n8n', () => started.errors.length === 1, 15_000);
		expect(started.errors[0].message).toMatch(/instead of text\/event-stream/);
		const opens = seenOn(front, '/v1/devices/events/portal').length;
		await sleep(1500);
		expect(seenOn(front, '/v1/devices/events/portal')).toHaveLength(opens);
	}, 20_000);

	it('a server that says ":ok" and hangs up at once is reopened with a growing pause, not in a tight loop', async () => {
		const front = await hostile(cloud().url);
		front.behave({ kind: 'okThenClose' }, '/v1/devices/events');
		const started = await trigger({ scope: 'mine', eventName: 'flap' }, { ...userToken(cloud()), baseUrl: front.url });
		await sleep(8000);
		// Waits of at least 0.5, 1, 2 and 4 s between opens: at most 5 opens in 8 s (14 in 10 s before).
		expect(seenOn(front, '/v1/devices/events/flap').length).toBeLessThanOrEqual(5);
		expect(started.errors).toEqual([]);
	}, 15_000);

	it('an endless line is cut off at the cap: the stream is dropped and reopened, and the next event arrives', async () => {
		const front = await hostile(cloud().url);
		const started = await trigger({ scope: 'mine', eventName: 'long' }, { ...userToken(cloud()), baseUrl: front.url });
		const before = `event: long\ndata: ${JSON.stringify({ data: 'whole', ttl: 60, published_at: new Date().toISOString(), coreid: cloud().fleet.sandboxDevices()[0].id })}\n\n`;
		front.behave({ kind: 'endlessLine', bytes: 8 * 1024 * 1024, before }, '/v1/devices/events');
		cloud().dropStreams();
		await until('the endless stream', () => seenOn(front, '/v1/devices/events/long').length === 2);
		front.behave({ kind: 'pass' }, '/v1/devices/events');
		await until('a working stream after the overflow', () => cloud().openStreams() === 1, 10_000);
		publish('long', 'short again');
		await until('the event', () => started.emitted.length === 2);
		// The whole event sent before the endless line is kept; the endless one is dropped.
		expect(started.emitted.map((event) => event.data)).toEqual(['whole', 'short again']);
	});

	it('shares the open-rate limit between triggers on one Base URL (Particle counts opens per IP)', () => {
		expect(openLimiterFor('https://api.particle.io')).toBe(openLimiterFor('https://api.particle.io'));
		expect(openLimiterFor('https://api.particle.io')).not.toBe(openLimiterFor('http://127.0.0.1:1'));
	});
});

describe('the product OAuth client refused', () => {
	it('a wrong secret fails activation with the reason, after one exchange', async () => {
		const product = String(cloud().productClient.productId);
		await expect(
			startTrigger({ parameters: { scope: 'product', product: { __rl: true, mode: 'id', value: product } }, credentials: { ...productClient(cloud()), clientSecret: 'wrong' } }),
		).rejects.toThrow(/refused the product OAuth client \(HTTP 401/);
		expect(tokenExchanges(cloud()).length).toBeLessThanOrEqual(2);
		expect(opensOf(`/v1/products/${product}/events`)).toEqual([]);
	});

	it('a client deleted after activation: the trigger stops and reports it to n8n', async () => {
		const product = String(cloud().productClient.productId);
		const path = `/v1/products/${product}/events/gone`;
		const started = await trigger({ scope: 'product', product: { __rl: true, mode: 'id', value: product }, eventName: 'gone' }, productClient(cloud()));
		const client = cloud().fleet.oauthClients.find((candidate) => candidate.id === cloud().productClient.clientId);
		if (!client) throw new Error('no product client in the fake');
		const secret = client.secret;
		try {
			client.secret = 'rotated-away';
			cloud().expireToken(opensOf(path)[0].authorization?.slice('Bearer '.length) ?? '');
			cloud().dropStreams();
			await until('the error reported to n8n', () => started.errors.length === 1, 10_000);
			expect(started.errors[0].message).toMatch(/refused the product OAuth client \(HTTP 401/);
			expect(started.errors[0].message).not.toContain(secret);
			const exchanges = tokenExchanges(cloud()).length;
			await sleep(2000);
			expect(tokenExchanges(cloud())).toHaveLength(exchanges);
		} finally {
			client.secret = secret;
		}
	});
});
