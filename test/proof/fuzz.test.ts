/**
 * Bad input, at volume: over 10,000 generated values (seeded, so every run tries the same ones) go through the
 * Particle node in n8n's engine, many items per run, with Continue On Fail. Every item must come out as a result or
 * an error item with a clear message, the run must not crash, and every request the fake cloud sees must stay on
 * the operation's route: a value is one path segment, whatever it contains.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { RecordedRequest } from '../../fake-cloud';
import { apiCalls, productClient, useFakeCloud, userToken } from '../harness/cloud';
import { runNode } from '../harness/engine';
import type { CredentialData } from '../harness/credentials';
import { redactSecrets } from '../../nodes/shared/errors';
import { prng, rl, UNCLEAR } from './helpers';

const cloud = useFakeCloud({ devices: 4, productDevices: 4 });

const SEED = 20261201;
const ITEMS_PER_RUN = 250;
const RUNS_PER_CASE = 5;

/** Pieces that break naive URL building, parsing or length checks. */
const NASTY = [
	'/', '//', '..', '.', '../', '/..', '..%2F', '%2e%2e', '%2F', '%', '%zz', '%00', '?', '?a=b', '#', '#x', '&', '=', ';', '+',
	' ', '\t', '\n', '\r\n', '\\', '"', "'", '`', '<script>', '{{ 1 }}', '${x}', '*', '~', ':', '@',
	'é', 'ß', '日本語', '🙂', '\u202e', '\u200b', '\u0000', '\ufeff', '\ud800', '\udc00', 'a\u0301',
	'access_token=x', 'null', 'undefined', 'NaN', '-1', '0', '1e309', 'true',
];
const DATES = ['', 'yesterday', '2026-02-30', '2026-13-01', '2026-00-10', '99999-01-01', '2026-01-01T25:00:00Z', '1970-01-01', '-1', 'NaN', '2026-10-01T00:00:00+99:00', 'now', '0000-00-00'];

/** What an expression may give a number field (Limit, Lifetime, Threshold): not numbers, not whole, out of range, numeric text. */
const NUMBERS: unknown[] = [
	Number.NaN, Infinity, -Infinity, -2, -1, 0, -0, 0.5, 2.5, 59, 60, 3, 1e21, Number.MAX_SAFE_INTEGER + 2,
	'5', ' 7 ', '', ' ', 'x', 'soon', '0x10', '1e2', '-0', '2.5', 'Infinity', 'NaN',
	[], [3], ['3'], {}, { n: 1 }, null, true, false,
];

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];

/** A bad string: empty, nasty pieces around real-looking ones, or far over any limit. */
function badString(rng: Rng, real: string[]): string {
	const roll = rng();
	if (roll < 0.06) return pick(rng, ['', ' ', '   ', '\t\n']);
	if (roll < 0.16) return pick(rng, NASTY).repeat(1 + Math.floor(rng() * 3000));
	if (roll < 0.26) return pick(rng, real) + pick(rng, NASTY) + (rng() < 0.5 ? pick(rng, real) : '');
	if (roll < 0.3) return 'x'.repeat(60 + Math.floor(rng() * 10)); // around the 64-character limit
	if (roll < 0.34) return 'é'.repeat(500 + Math.floor(rng() * 30)); // around 1024 bytes, fewer characters
	const parts = 1 + Math.floor(rng() * 5);
	let text = '';
	for (let index = 0; index < parts; index++) text += rng() < 0.6 ? pick(rng, NASTY) : pick(rng, real);
	return text;
}

/** Sometimes not a string at all. */
function badValue(rng: Rng, real: string[]): unknown {
	const roll = rng();
	if (roll < 0.04) return Math.floor(rng() * 1e6) * (rng() < 0.5 ? -1 : 1);
	if (roll < 0.06) return rng() < 0.5;
	if (roll < 0.08) return null;
	if (roll < 0.1) return { id: pick(rng, real) };
	if (roll < 0.12) return [pick(rng, real)];
	return badString(rng, real);
}

interface FuzzCase {
	name: string;
	credential: 'user' | 'client';
	/** Checks every result item (not the error items) further. */
	result?: (json: IDataObject) => void;
	parameters: () => INodeParameters;
	/** The item JSON: values the parameters read with expressions. */
	item: (rng: Rng) => IDataObject;
	/** Raw request paths (as sent, percent-encoded) this operation may use. */
	routes: () => RegExp[];
	/** Raw paths it may also read (GET only): the one read of the device after a device call failed (408, offline). */
	reads?: () => RegExp[];
}

const SEG = '[^/?#]+';
const route = (...parts: string[]) => new RegExp(`^/${parts.join('/')}$`);
/** One device, sandbox or product: what the node reads after a variable read or function call failed. */
const DEVICE_READ = /^\/v1\/(products\/[^/]+\/)?devices\/[^/]+$/;
const productId = () => String(cloud().productClient.productId);
const realIds = () => [...cloud().fleet.sandboxDevices(), ...cloud().fleet.productDevices(cloud().productClient.productId)].map((device) => device.id);
const realWords = () => [...realIds(), ...cloud().fleet.sandboxDevices().map((device) => device.name), 'temperature', 'led', productId(), cloud().productClient.productSlug, 'customer1@example.com', '2026-10-01'];
const byExpression = (name: string) => `={{ $json.${name} }}`;
/** Mostly a bad number, sometimes any bad value. */
const badNumber = (rng: Rng): unknown => (rng() < 0.8 ? pick(rng, NUMBERS) : badValue(rng, realWords()));
const customerEmail = () => cloud().fleet.products[0].customers[0].username;

const cases: FuzzCase[] = [
	{
		name: 'Device > Get (ID)',
		credential: 'user',
		parameters: () => ({ resource: 'device', operation: 'get', device: rl('id', byExpression('v')) }),
		item: (rng) => ({ v: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'devices', SEG)],
	},
	{
		name: 'Device > Get (name)',
		credential: 'user',
		parameters: () => ({ resource: 'device', operation: 'get', device: rl('name', byExpression('v')) }),
		item: (rng) => ({ v: badValue(rng, realWords()) }) as IDataObject,
		// Particle takes a name in place of the ID: still exactly one segment.
		routes: () => [route('v1', 'devices', SEG)],
	},
	{
		name: 'Variable > Get (device, variable)',
		credential: 'user',
		parameters: () => ({ resource: 'variable', operation: 'get', device: rl('id', byExpression('v')), variableName: byExpression('w') }),
		item: (rng) => ({ v: rng() < 0.5 ? pick(rng, realIds()) : badValue(rng, realWords()), w: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'devices', SEG, SEG)],
		reads: () => [DEVICE_READ],
	},
	{
		name: 'Function > Call (function, argument over limits)',
		credential: 'user',
		parameters: () => ({ resource: 'function', operation: 'call', device: rl('id', byExpression('v')), functionName: byExpression('w'), argument: byExpression('a') }),
		item: (rng) => ({ v: pick(rng, realIds()), w: rng() < 0.3 ? 'led' : badValue(rng, realWords()), a: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'devices', SEG, SEG)],
		reads: () => [DEVICE_READ],
	},
	{
		name: 'Event > Publish (name, data over limits, TTL of wrong types)',
		credential: 'user',
		parameters: () => ({ resource: 'event', operation: 'publish', eventName: byExpression('v'), data: byExpression('a'), options: { ttl: byExpression('t') } }),
		item: (rng) => ({ v: badValue(rng, realWords()), a: badValue(rng, realWords()), t: rng() < 0.5 ? Math.floor(rng() * 1e7) - 1e6 : badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'devices', 'events')],
	},
	{
		name: 'Event > Publish to a product (bad product slugs)',
		credential: 'client',
		parameters: () => ({ resource: 'event', operation: 'publish', deviceScope: 'product', product: rl('id', byExpression('p')), eventName: 'fuzz', data: 'x' }),
		item: (rng) => ({ p: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'products', SEG, 'events')],
	},
	{
		name: 'Device > Rename (names)',
		credential: 'user',
		parameters: () => ({ resource: 'device', operation: 'rename', device: rl('id', byExpression('v')), newName: byExpression('w') }),
		item: (rng) => ({ v: rng() < 0.5 ? realIds()[3] : badValue(rng, realWords()), w: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'devices', SEG)],
	},
	{
		name: 'Device > Get Many in a product (bad product slugs)',
		credential: 'user',
		parameters: () => ({ resource: 'device', operation: 'getAll', deviceScope: 'product', product: rl('id', byExpression('p')), limit: 5 }),
		item: (rng) => ({ p: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'products', SEG, 'devices')],
	},
	{
		name: 'Device > Get Many (Limit of wrong types and values)',
		credential: 'user',
		parameters: () => ({ resource: 'device', operation: 'getAll', deviceScope: 'sandbox', limit: byExpression('n') }),
		item: (rng) => ({ n: badNumber(rng) }) as IDataObject,
		routes: () => [route('v1', 'devices')],
	},
	{
		name: 'Device > Get Many in a product (Limit of wrong types and values)',
		credential: 'user',
		parameters: () => ({ resource: 'device', operation: 'getAll', deviceScope: 'product', product: rl('id', productId()), limit: byExpression('n') }),
		item: (rng) => ({ n: badNumber(rng) }) as IDataObject,
		routes: () => [route('v1', 'products', productId(), 'devices')],
	},
	{
		name: 'Customer > Create Token (Lifetime of wrong types and values)',
		credential: 'client',
		parameters: () => ({ resource: 'customer', operation: 'createToken', product: rl('id', productId()), customer: customerEmail(), expiresIn: byExpression('n') }),
		item: (rng) => ({ n: badNumber(rng) }) as IDataObject,
		// The token endpoint is not an API call; what matters is what came back.
		routes: () => [],
		// Never a token that does not expire (expires_in 0) or one shorter than the field allows.
		result: (json) => expect(Number(json.expires_in)).toBeGreaterThanOrEqual(60),
	},
	{
		name: 'Vitals > Get History (bad dates)',
		credential: 'user',
		parameters: () => ({ resource: 'vitals', operation: 'getHistory', device: rl('id', byExpression('v')), startDate: byExpression('s'), endDate: byExpression('e') }),
		item: (rng) => ({ v: rng() < 0.6 ? pick(rng, realIds()) : badValue(rng, realWords()), s: rng() < 0.7 ? pick(rng, DATES) : badValue(rng, realWords()), e: rng() < 0.7 ? pick(rng, DATES) : badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'diagnostics', SEG), route('v1', 'devices', '[0-9a-f]{24}')],
	},
	{
		name: 'Service Agreement > Create Usage Report (bad dates, IDs)',
		credential: 'user',
		parameters: () => ({ resource: 'serviceAgreement', operation: 'createUsageReport', owner: 'user', agreementId: byExpression('g'), reportType: 'devices', periodStart: byExpression('s'), periodEnd: byExpression('e'), deviceIds: byExpression('d') }),
		item: (rng) => ({ g: rng() < 0.5 ? '1001' : badValue(rng, realWords()), s: pick(rng, DATES), e: rng() < 0.5 ? pick(rng, DATES) : badValue(rng, realWords()), d: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'user', 'service_agreements', SEG, 'usage_reports')],
	},
	{
		name: 'Customer > Delete (bad emails)',
		credential: 'client',
		parameters: () => ({ resource: 'customer', operation: 'delete', product: rl('id', productId()), customer: byExpression('c') }),
		item: (rng) => ({ c: badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'products', productId(), 'customers', SEG)],
	},
	{
		name: 'SIM > Get (bad ICCIDs)',
		credential: 'user',
		parameters: () => ({ resource: 'sim', operation: 'get', iccid: byExpression('i') }),
		item: (rng) => ({ i: rng() < 0.2 ? '8934076500' + String(Math.floor(rng() * 1e10)).padStart(10, '0') : badValue(rng, realWords()) }) as IDataObject,
		routes: () => [route('v1', 'sims', SEG)],
	},
	{
		name: 'Custom API Call (paths that try to leave /v1)',
		credential: 'user',
		parameters: () => ({ resource: 'customApiCall', operation: 'send', method: 'GET', path: byExpression('path') }),
		item: (rng) => ({ path: rng() < 0.5 ? `/v1/${badString(rng, realWords())}` : badValue(rng, realWords()) }) as IDataObject,
		// Any /v1 path, but never a dot segment, a query or a fragment that came from the input.
		routes: () => [/^\/v1\/(?!.*(^|\/)\.{1,2}(\/|$))[^?#]*$/],
	},
];

const tally = { inputs: 0, runs: 0, errorItems: 0, results: 0, requests: 0 };
const messages = new Map<string, number>();
afterAll(() => {
	const top = [...messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, process.env.FUZZ_ALL_MESSAGES ? undefined : 12);
	process.stdout.write(
		`fuzz: ${tally.inputs} inputs in ${tally.runs} engine runs, ${tally.results} results, ${tally.errorItems} error items, ${tally.requests} requests checked against routes\n` +
			top.map(([message, count]) => `  ${count} x ${message}`).join('\n') +
			'\n',
	);
});

const credentialsFor = (kind: FuzzCase['credential']): CredentialData => (kind === 'user' ? userToken(cloud()) : productClient(cloud()));

/** The message without the user's own input echoed back in it (an input may be the text "undefined"). */
function withoutInput(text: string, input: IDataObject): string {
	let clean = text;
	for (const raw of Object.values(input)) {
		// n8n turns an object given to a text field into its JSON: that is echoed too.
		const value = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? '';
		// A message that names what was looked up shows it redacted, then cut to 80 characters.
		const shown = redactSecrets(value.trim());
		for (const echo of [value, value.trim(), value.trim().slice(0, 30), value.trim().slice(0, 40), shown, shown.slice(0, 80)]) if (echo.length >= 3) clean = clean.split(echo).join('<input>');
	}
	return clean.replace(/"[^"]*"/g, '"<quoted>"');
}

function checkItems(name: string, inputs: IDataObject[], items: INodeExecutionData[], checkResult?: FuzzCase['result']): void {
	const seen = new Set<number>();
	for (const item of items) {
		const paired = (item.pairedItem as { item: number }).item;
		seen.add(paired);
		const { error, description } = item.json;
		if (error === undefined) {
			tally.results++;
			checkResult?.(item.json);
			continue;
		}
		tally.errorItems++;
		const text = `${String(error)} | ${String(description ?? '')}`;
		if (typeof error !== 'string' || error.trim() === '' || UNCLEAR.test(withoutInput(text, inputs[paired]))) {
			throw new Error(`${name}: item ${paired} has an unclear error: ${JSON.stringify(item.json).slice(0, 400)}`);
		}
		if (process.env.FUZZ_SHOW && error.startsWith(process.env.FUZZ_SHOW)) process.stdout.write(`${name}: ${JSON.stringify(inputs[paired]).slice(0, 200)} -> ${text}\n`);
		const shape = error.replace(/[0-9a-f]{24}/g, '<id>').replace(/\d+/g, '<n>').slice(0, 110);
		messages.set(shape, (messages.get(shape) ?? 0) + 1);
	}
	// No lost item: every input has output.
	expect(seen.size).toBe(inputs.length);
}

/** `filterKeys`: query keys the operation fills from the user's filters (their values are the user's own). */
function checkRoutes(name: string, requests: RecordedRequest[], routes: RegExp[], filterKeys: string[] = [], reads: RegExp[] = []): void {
	for (const call of requests) {
		tally.requests++;
		const allowed = routes.some((pattern) => pattern.test(call.path)) || (call.method === 'GET' && reads.some((pattern) => pattern.test(call.path)));
		if (!allowed) {
			throw new Error(`${name}: the cloud saw ${call.method} ${call.path} (decoded ${call.decodedPath}), outside the operation's route`);
		}
		// A value of the wrong type is refused or sent as its JSON, never as "[object Object]".
		if (`${call.decodedPath} ${call.rawBody}`.includes('[object Object]')) throw new Error(`${name}: the cloud received "[object Object]" in ${call.method} ${call.path}`);
		// The query carries only what the operation puts there, never a piece of an input.
		// Page size under Particle's reference name, perPage.
		for (const key of Object.keys(call.query)) expect(['page', 'perPage', 'sortAttr', 'sortDir', 'start_date', 'end_date', 'date', 'limit', ...filterKeys]).toContain(key);
		// A page size from a bad Limit (NaN, -2, 2.5) never reaches the cloud.
		if (call.query.perPage !== undefined) expect(String(call.query.perPage)).toMatch(/^[1-9]\d*$/);
	}
}

describe.each(cases)('$name', (entry) => {
	it(`${RUNS_PER_CASE} runs of ${ITEMS_PER_RUN} bad items: results or clear error items, requests only on the route`, async () => {
		const rng = prng(SEED + entry.name.length * 7919 + entry.name.charCodeAt(0));
		for (let run = 0; run < RUNS_PER_CASE; run++) {
			const items = Array.from({ length: ITEMS_PER_RUN }, () => entry.item(rng));
			cloud().clearRequests();
			const result = await runNode({ parameters: entry.parameters(), credentials: credentialsFor(entry.credential), items, continueOnFail: true });
			tally.runs++;
			tally.inputs += items.length;
			if (result.status !== 'success') throw new Error(`${entry.name}: the run failed: ${result.error?.message}`);
			checkItems(entry.name, items, result.items, entry.result);
			checkRoutes(entry.name, apiCalls(cloud()), entry.routes(), [], entry.reads?.());
		}
	}, 60_000);
});

describe('the polling trigger and the event trigger refuse bad scopes clearly', () => {
	it('bad product slugs, device IDs and group names', async () => {
		const { runPoll, startTrigger } = await import('../harness/engine');
		const rng = prng(SEED);
		for (let index = 0; index < 150; index++) {
			const value = badString(rng, realWords());
			cloud().clearRequests();
			const attempts: Array<Promise<(Error & { description?: string }) | undefined>> = [
				runPoll({ parameters: { events: ['deviceWentOffline'], deviceScope: 'product', product: rl('id', value) }, credentials: userToken(cloud()), staticData: {} }),
				startTrigger({ parameters: { scope: 'device', deviceId: value }, credentials: userToken(cloud()) }).then(async (trigger) => await trigger.close()),
			].map(async (attempt) =>
				await attempt.then(
					() => undefined,
					(caught: unknown) => caught as Error & { description?: string },
				),
			);
			for (const attempt of attempts) {
				tally.inputs++;
				const error = await attempt;
				if (error && (error.message.trim() === '' || UNCLEAR.test(withoutInput(`${error.message} | ${error.description ?? ''}`, { value })))) {
					throw new Error(`unclear trigger error for ${JSON.stringify(value).slice(0, 80)}: ${error.message}`);
				}
			}
			checkRoutes('triggers', apiCalls(cloud()), [route('v1', 'products', SEG, 'devices'), route('v1', 'devices', SEG, 'events'), route('v1', 'devices', SEG, 'events', SEG)]);
		}
	}, 60_000);
});

/** A value as expression code, so the poll context (which has no items) evaluates it to exactly this value. */
function asExpression(value: unknown): string {
	const code = typeof value === 'number' && !Number.isFinite(value) ? String(value) : JSON.stringify(value);
	return `={{ ${code} }}`;
}

describe('the polling trigger refuses filters, thresholds and options of the wrong type clearly', () => {
	const VALUES: unknown[] = [...NUMBERS, 2024, ['field', 'beta'], [['x']], [{ a: 1 }], '0123456789abcdef01234567', 'field,beta'];
	const PLACES: Array<[string, (value: string) => INodeParameters]> = [
		['Device ID filter', (value) => ({ events: ['deviceWentOffline'], deviceScope: 'product', product: rl('id', productId()), filters: { deviceId: value } })],
		['Groups filter', (value) => ({ events: ['deviceWentOffline'], deviceScope: 'product', product: rl('id', productId()), filters: { groups: value } })],
		['Threshold', (value) => ({ events: ['vitalsThreshold'], thresholdValue: value })],
		['Vitals Path', (value) => ({ events: ['vitalsThreshold'], thresholdField: 'custom', thresholdPath: value })],
		['Operator', (value) => ({ events: ['vitalsThreshold'], thresholdOperator: value })],
		['Consider Offline After', (value) => ({ events: ['deviceWentOffline'], options: { offlineAfterMinutes: value } })],
		['Request Budget', (value) => ({ events: ['deviceWentOffline', 'vitalsUpdated'], options: { requestBudget: value } })],
		['Read Vitals at Most Every', (value) => ({ events: ['vitalsUpdated'], options: { vitalsRecheckMinutes: value } })],
		['Events', (value) => ({ events: value })],
	];

	it.each(PLACES)('%s: a poll or a clear error naming the field, never a crash', async (place, parameters) => {
		const { runPoll } = await import('../harness/engine');
		for (const value of VALUES) {
			tally.inputs++;
			cloud().clearRequests();
			const error = await runPoll({ parameters: parameters(asExpression(value)), credentials: userToken(cloud()), staticData: {} }).then(
				() => undefined,
				(caught: unknown) => caught as Error & { description?: string },
			);
			if (error && (error.message.trim() === '' || UNCLEAR.test(withoutInput(`${error.message} | ${error.description ?? ''}`, { value } as IDataObject)))) {
				throw new Error(`${place}: unclear trigger error for ${asExpression(value)}: ${error.message}`);
			}
			checkRoutes(place, apiCalls(cloud()), [route('v1', 'products', SEG, 'devices'), route('v1', 'devices'), route('v1', 'diagnostics', SEG, 'last')], ['deviceId', 'groups']);
		}
	}, 60_000);
});

describe('the event trigger\'s Device Status and Vitals mode refuses events and thresholds of the wrong type clearly', () => {
	const VALUES: unknown[] = [...NUMBERS, ['deviceWentOffline', 'nope'], [['deviceWentOffline']], [{ a: 1 }], 'deviceWentOffline', 'device.power.battery.charge'];
	const PLACES: Array<[string, (value: string) => INodeParameters]> = [
		['Events', (value) => ({ events: value })],
		['Threshold', (value) => ({ events: ['vitalsThreshold'], thresholdValue: value })],
		['Vitals Field', (value) => ({ events: ['vitalsThreshold'], thresholdField: value })],
		['Vitals Path', (value) => ({ events: ['vitalsThreshold'], thresholdField: 'custom', thresholdPath: value })],
		['Operator', (value) => ({ events: ['vitalsThreshold'], thresholdOperator: value })],
	];

	it.each(PLACES)('%s: an activation or a clear error naming the field, never a crash', async (place, parameters) => {
		const { startTrigger } = await import('../harness/engine');
		for (const value of VALUES) {
			tally.inputs++;
			cloud().clearRequests();
			const error = await startTrigger({ parameters: { triggerOn: 'deviceStatus', scope: 'mine', ...parameters(asExpression(value)) }, credentials: userToken(cloud()) }).then(
				async (trigger) => await trigger.close(),
				(caught: unknown) => caught as Error & { description?: string },
			);
			if (error && (error.message.trim() === '' || UNCLEAR.test(withoutInput(`${error.message} | ${error.description ?? ''}`, { value } as IDataObject)))) {
				throw new Error(`${place}: unclear trigger error for ${asExpression(value)}: ${error.message}`);
			}
			checkRoutes(place, apiCalls(cloud()), [route('v1', 'devices', 'events', 'spark'), route('v1', 'devices')]);
		}
	}, 60_000);
});

describe('what the fuzzing found, pinned', () => {
	it('a lone surrogate in a variable name is refused naming the field, nothing sent (was a bare "URI malformed")', async () => {
		const result = await runNode({ parameters: { resource: 'variable', operation: 'get', device: rl('id', realIds()[0]), variableName: 'temp\ud800' }, credentials: userToken(cloud()), continueOnFail: true });
		expect(result.items[0].json).toEqual({ error: 'Variable name contains a broken Unicode character (a lone surrogate)', description: 'Nothing was sent to Particle.' });
		expect(apiCalls(cloud())).toEqual([]);
	});

	it('an object given to a text field goes as its JSON, never as "[object Object]"', async () => {
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		await runNode({ parameters: { resource: 'event', operation: 'publish', eventName: 'fuzz/object', data: byExpression('data') }, credentials: userToken(cloud()), items: [{ data: { c: 21.5 } }] });
		await runNode({ parameters: { resource: 'function', operation: 'call', device: rl('id', device.id), functionName: 'led', argument: byExpression('arg') }, credentials: userToken(cloud()), items: [{ arg: { on: true } }] });
		expect(apiCalls(cloud()).map((call) => call.body)).toEqual([expect.objectContaining({ name: 'fuzz/object', data: '{"c":21.5}' }), expect.objectContaining({ arg: '{"on":true}' })]);
	});

	it('a URL too long for the cloud (HTTP 431) says so and what to check', async () => {
		const result = await runNode({ parameters: { resource: 'device', operation: 'getAll', deviceScope: 'product', product: rl('id', 'a'.repeat(20_000)), limit: 1 }, credentials: userToken(cloud()), continueOnFail: true });
		expect(result.items[0].json).toEqual({
			error: 'The request is too large for the Particle Cloud (HTTP 431)',
			description: expect.stringMatching(/far longer than Particle accepts/),
			httpCode: '431',
		});
	});
});
