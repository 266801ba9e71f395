/**
 * Secrets never leak: every operation of the Particle node and both triggers run with recognisable secrets (a user
 * token, the product OAuth client secret and the product token minted from it, customers' passwords), on success
 * and on failure (a refusal echoing the secrets back, and a revoked token). Every output item, error message,
 * description and context, every log record (n8n's logger and the console) is scanned; no URL that reaches the
 * cloud carries a secret.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import type { RecordedRequest } from '../../fake-cloud';
import { USER_EMAIL } from '../../fake-cloud/seed';
import { operations } from '../../nodes/Particle/actions/operations';
import { productClient, useFakeCloud, userToken } from '../harness/cloud';
import { CREDENTIAL_ID, runNode, runPoll, startTrigger, type NodeRunResult } from '../harness/engine';
import { TestCredentialsHelper, type CredentialData } from '../harness/credentials';
import { rl, until } from './helpers';

const cloud = useFakeCloud({ devices: 8, productDevices: 6, products: 2 });

/** Everything logged, by n8n's logger (what `this.logger` is in a node) and by the console. */
const logged: string[] = [];
const record =
	(level: string) =>
	(message: string, metadata?: unknown): void => {
		logged.push(`${level} ${message} ${JSON.stringify(metadata ?? null)}`);
	};
const recorder = {
	error: record('error'),
	warn: record('warn'),
	info: record('info'),
	debug: record('debug'),
	scoped: () => recorder,
};
let originalLogger: Logger | undefined;
const consoleSpies: jest.SpyInstance[] = [];

beforeAll(() => {
	originalLogger = Container.get(Logger);
	Container.set(Logger, recorder as unknown as Logger);
	LoggerProxy.init(recorder as unknown as Parameters<typeof LoggerProxy.init>[0]);
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		consoleSpies.push(jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(`console.${method} ${args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg) ?? String(arg))).join(' ')}`)));
	}
});
afterAll(() => {
	if (originalLogger) Container.set(Logger, originalLogger);
	for (const spy of consoleSpies) spy.mockRestore();
});

const PASSWORDS = ['Proof-Customer-Pass-7f3a9c', 'Proof-Rotated-Pass-e21b04'];
const CUSTOMER = 'proof-secrets@example.com';
let userSecret = '';
const secrets = (): string[] => {
	const list = [userSecret, cloud().productClient.clientSecret, ...PASSWORDS, ...sessionTokens];
	return [...list, ...list.map((secret) => encodeURIComponent(secret)), ...list.map((secret) => Buffer.from(secret).toString('base64'))];
};
/** Product tokens the credential minted (n8n stores them in the credential's hidden field). */
const sessionTokens = new Set<string>();
const clientHelper = new TestCredentialsHelper();

const tally = { runs: 0, items: 0, strings: 0 };
/** Every request of every test (the harness clears the log before each test). */
const seen: RecordedRequest[] = [];
afterEach(() => {
	seen.push(...cloud().requests);
});
afterAll(() => {
	process.stdout.write(`secrets: ${tally.runs} runs scanned, ${tally.items} output items, ${tally.strings} texts (errors, logs, URLs)\n`);
});

function expectNoSecret(what: string, text: string): void {
	tally.strings++;
	for (const secret of secrets()) {
		if (text.includes(secret)) throw new Error(`${what} contains a secret (${secret.slice(0, 6)}…): ${text.slice(Math.max(0, text.indexOf(secret) - 400), text.indexOf(secret) + 50)}`);
	}
}

function scanResult(label: string, result: NodeRunResult, { wholeRun }: { wholeRun: boolean }): void {
	tally.runs++;
	tally.items += result.items.length;
	const stored = result.credentialsHelper.store.get(CREDENTIAL_ID)?.sessionToken;
	if (typeof stored === 'string' && stored !== '') sessionTokens.add(stored);
	expectNoSecret(`${label}: items`, JSON.stringify(result.items));
	const error = result.error;
	if (error) {
		expectNoSecret(`${label}: error`, JSON.stringify({ message: error.message, description: error.description, context: error.context, stack: error.stack }));
		const cause = (error as { cause?: unknown }).cause;
		if (cause !== undefined) expectNoSecret(`${label}: error cause`, String(cause instanceof Error ? `${cause.message} ${cause.stack}` : JSON.stringify(cause)));
	}
	// The stored run holds the node's parameters too, so a typed-in password is there by the user's own hand.
	if (wholeRun && result.run) {
		const runText = JSON.stringify(result.run.data.resultData);
		for (const secret of [userSecret, cloud().productClient.clientSecret, ...sessionTokens]) {
			if (runText.includes(secret)) throw new Error(`${label}: the stored run contains a token or the client secret`);
		}
	}
}

interface Case {
	name: string;
	credential: 'user' | 'client';
	parameters: () => INodeParameters;
	/** Remember what later cases need (a created ID). */
	after?: (result: NodeRunResult) => void;
	/** Where the operation's own request goes, when not under /v1 (a customer token comes from /oauth/token). */
	faultPath?: RegExp;
	/** Input items with a file, for an upload (one per input item). */
	withFile?: boolean;
}

const state: IDataObject = {};
const productId = () => String(cloud().productClient.productId);
const product = () => rl('id', productId());
const sandbox = (index: number) => cloud().fleet.sandboxDevices()[index];
const ownedSandbox = () => cloud().fleet.sandboxDevices().filter((device) => device.owner === USER_EMAIL).at(-1)!;
/** A version the product really has (a device's own version need not be one of its uploads). */
const productFirmwareVersion = () => cloud().fleet.productFirmware.get(cloud().productClient.productId)?.[0]?.version ?? 1;
const onlineSandbox = () => cloud().fleet.sandboxDevices().find((device) => device.online)!;
const productDevice = (index: number) => cloud().fleet.productDevices(cloud().productClient.productId)[index];
const onlineProductDevice = () => cloud().fleet.productDevices(cloud().productClient.productId).find((device) => device.online)!;
const sim = () => cloud().fleet.sandboxDevices().find((device) => device.iccid !== undefined);
const org = () => cloud().fleet.organizations[0].slug;
/** The Asset Tracker product (the user's): every device has a SIM and a location. */
const tracker = () => cloud().fleet.products[1].id;
const trackerProduct = () => rl('id', String(tracker()));
const trackerDevice = (index: number) => cloud().fleet.productDevices(tracker())[index];
const heardTracker = () => cloud().fleet.productDevices(tracker()).find((device) => device.last_heard !== null)!;
const trackerSim = (index: number) => String(trackerDevice(index).iccid);

const cases: Case[] = [
	{ name: 'device.getAll', credential: 'user', parameters: () => ({ resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true }) },
	{ name: 'device.getAll (product)', credential: 'client', parameters: () => ({ resource: 'device', operation: 'getAll', deviceScope: 'product', product: product(), returnAll: true }) },
	{ name: 'device.get', credential: 'user', parameters: () => ({ resource: 'device', operation: 'get', device: rl('id', sandbox(0).id) }) },
	{ name: 'device.rename', credential: 'user', parameters: () => ({ resource: 'device', operation: 'rename', device: rl('id', sandbox(1).id), newName: `proof-secret-${Date.now()}` }) },
	{ name: 'device.ping', credential: 'user', parameters: () => ({ resource: 'device', operation: 'ping', device: rl('id', onlineSandbox().id) }) },
	{ name: 'device.updateNotes', credential: 'user', parameters: () => ({ resource: 'device', operation: 'updateNotes', device: rl('id', sandbox(0).id), notes: 'proof' }) },
	{ name: 'device.signal', credential: 'user', parameters: () => ({ resource: 'device', operation: 'signal', device: rl('id', onlineSandbox().id), signal: 'start' }) },
	{ name: 'device.claim', credential: 'user', parameters: () => ({ resource: 'device', operation: 'claim', deviceId: sandbox(2).id }) },
	{ name: 'device.createClaimCode', credential: 'user', parameters: () => ({ resource: 'device', operation: 'createClaimCode' }) },
	{ name: 'device.setDevelopment', credential: 'client', parameters: () => ({ resource: 'device', operation: 'setDevelopment', product: product(), device: rl('id', productDevice(0).id), development: true }) },
	{ name: 'device.addToProduct', credential: 'client', parameters: () => ({ resource: 'device', operation: 'addToProduct', product: product(), deviceId: sandbox(3).id }) },
	{ name: 'device.removeFromProduct', credential: 'client', parameters: () => ({ resource: 'device', operation: 'removeFromProduct', product: product(), device: rl('id', productDevice(5).id) }) },
	// A device the user still owns: earlier cases move devices between the sandbox and products, so not by index.
	{ name: 'device.unclaim', credential: 'user', parameters: () => ({ resource: 'device', operation: 'unclaim', device: rl('id', ownedSandbox().id) }) },
	{ name: 'variable.get', credential: 'user', parameters: () => ({ resource: 'variable', operation: 'get', device: rl('id', onlineSandbox().id), variableName: 'temperature' }) },
	{ name: 'variable.get (product)', credential: 'client', parameters: () => ({ resource: 'variable', operation: 'get', deviceScope: 'product', product: product(), device: rl('id', onlineProductDevice().id), variableName: 'status' }) },
	{ name: 'function.call', credential: 'user', parameters: () => ({ resource: 'function', operation: 'call', device: rl('id', onlineSandbox().id), functionName: 'led', argument: 'on' }) },
	{ name: 'function.call (product)', credential: 'client', parameters: () => ({ resource: 'function', operation: 'call', deviceScope: 'product', product: product(), device: rl('id', onlineProductDevice().id), functionName: 'led', argument: 'on' }) },
	{ name: 'event.publish', credential: 'user', parameters: () => ({ resource: 'event', operation: 'publish', eventName: 'proof/secret', data: 'x' }) },
	{ name: 'event.publish (product)', credential: 'client', parameters: () => ({ resource: 'event', operation: 'publish', deviceScope: 'product', product: product(), eventName: 'proof/secret', data: 'x' }) },
	{ name: 'customApiCall.send', credential: 'user', parameters: () => ({ resource: 'customApiCall', operation: 'send', method: 'GET', path: '/v1/access_tokens/current' }) },
	{ name: 'product.getAll', credential: 'user', parameters: () => ({ resource: 'product', operation: 'getAll' }) },
	{ name: 'product.get', credential: 'user', parameters: () => ({ resource: 'product', operation: 'get', product: product() }) },
	{ name: 'product.getTeamMembers', credential: 'user', parameters: () => ({ resource: 'product', operation: 'getTeamMembers', product: product() }) },
	{ name: 'organization.getAll', credential: 'user', parameters: () => ({ resource: 'organization', operation: 'getAll' }) },
	{ name: 'organization.getProducts', credential: 'user', parameters: () => ({ resource: 'organization', operation: 'getProducts', organization: rl('id', org()) }) },
	{ name: 'organization.getTeamMembers', credential: 'user', parameters: () => ({ resource: 'organization', operation: 'getTeamMembers', organization: rl('id', org()) }) },
	{ name: 'customer.create', credential: 'client', parameters: () => ({ resource: 'customer', operation: 'create', product: product(), customer: CUSTOMER, password: PASSWORDS[0] }) },
	{ name: 'customer.getAll', credential: 'client', parameters: () => ({ resource: 'customer', operation: 'getAll', product: product(), returnAll: true }) },
	{ name: 'customer.createToken', credential: 'client', faultPath: /^\/(v1|oauth)\//, parameters: () => ({ resource: 'customer', operation: 'createToken', product: product(), customer: CUSTOMER, expiresIn: 600 }) },
	{ name: 'customer.updatePassword', credential: 'client', parameters: () => ({ resource: 'customer', operation: 'updatePassword', product: product(), customer: CUSTOMER, password: PASSWORDS[1] }) },
	{ name: 'customer.createClaimCode', credential: 'client', parameters: () => ({ resource: 'customer', operation: 'createClaimCode', product: product(), customer: CUSTOMER }) },
	{ name: 'customer.delete', credential: 'client', parameters: () => ({ resource: 'customer', operation: 'delete', product: product(), customer: CUSTOMER }) },
	{ name: 'vitals.getLast', credential: 'user', parameters: () => ({ resource: 'vitals', operation: 'getLast', device: rl('id', sandbox(0).id) }) },
	{ name: 'vitals.getHistory', credential: 'user', parameters: () => ({ resource: 'vitals', operation: 'getHistory', device: rl('id', sandbox(0).id), startDate: new Date(Date.now() - 6 * 3600_000).toISOString(), endDate: new Date().toISOString() }) },
	{ name: 'vitals.getHistory (CSV)', credential: 'user', parameters: () => ({ resource: 'vitals', operation: 'getHistory', device: rl('id', sandbox(0).id), startDate: new Date(Date.now() - 6 * 3600_000).toISOString(), endDate: new Date().toISOString(), output: 'csv' }) },
	{ name: 'vitals.refresh', credential: 'user', parameters: () => ({ resource: 'vitals', operation: 'refresh', device: rl('id', onlineSandbox().id) }) },
	{ name: 'vitals.getMetadata', credential: 'user', parameters: () => ({ resource: 'vitals', operation: 'getMetadata', device: rl('id', sandbox(0).id) }) },
	{ name: 'serviceAgreement.getAll', credential: 'user', parameters: () => ({ resource: 'serviceAgreement', operation: 'getAll', owner: 'user' }) },
	{
		name: 'serviceAgreement.createUsageReport',
		credential: 'user',
		parameters: () => ({ resource: 'serviceAgreement', operation: 'createUsageReport', owner: 'user', agreementId: '1001', reportType: 'devices', periodStart: '2026-10-01', periodEnd: '2026-10-02' }),
		after: (result) => {
			if (result.items[0]?.json.id !== undefined) state.reportId = String(result.items[0].json.id);
		},
	},
	{ name: 'serviceAgreement.getUsageReport', credential: 'user', parameters: () => ({ resource: 'serviceAgreement', operation: 'getUsageReport', owner: 'user', reportId: String(state.reportId ?? '1') }) },
	{ name: 'serviceAgreement.getNotifications', credential: 'user', parameters: () => ({ resource: 'serviceAgreement', operation: 'getNotifications', owner: 'user', agreementId: '1001' }) },
	{
		name: 'apiUser.create',
		credential: 'user',
		parameters: () => ({ resource: 'apiUser', operation: 'create', owner: 'product', product: product(), friendlyName: 'Proof secrets', scopes: ['devices:list'] }),
		after: (result) => {
			if (typeof result.items[0]?.json.username === 'string') state.username = result.items[0].json.username;
		},
	},
	{ name: 'apiUser.getAll', credential: 'user', parameters: () => ({ resource: 'apiUser', operation: 'getAll', owner: 'product', product: product() }) },
	{ name: 'apiUser.update', credential: 'user', parameters: () => ({ resource: 'apiUser', operation: 'update', owner: 'product', product: product(), username: String(state.username ?? 'x@api.particle.io'), friendlyName: 'Proof rotated' }) },
	{ name: 'apiUser.delete', credential: 'user', parameters: () => ({ resource: 'apiUser', operation: 'delete', owner: 'product', product: product(), username: String(state.username ?? 'x@api.particle.io') }) },
	{
		name: 'integration.create',
		credential: 'user',
		// A target nobody listens on: delivery is not what this scans.
		parameters: () => ({ resource: 'integration', operation: 'create', eventName: 'proof/secrets', url: 'http://127.0.0.1:9/hook' }),
		after: (result) => {
			if (result.items[0]?.json.id !== undefined) state.integrationId = String(result.items[0].json.id);
		},
	},
	{ name: 'integration.getAll', credential: 'user', parameters: () => ({ resource: 'integration', operation: 'getAll', returnAll: true }) },
	{ name: 'integration.get', credential: 'user', parameters: () => ({ resource: 'integration', operation: 'get', integrationId: String(state.integrationId ?? '0123456789abcdef01234567') }) },
	{ name: 'integration.test', credential: 'user', parameters: () => ({ resource: 'integration', operation: 'test', integrationId: String(state.integrationId ?? '0123456789abcdef01234567') }) },
	{ name: 'integration.delete', credential: 'user', parameters: () => ({ resource: 'integration', operation: 'delete', integrationId: String(state.integrationId ?? '0123456789abcdef01234567') }) },
	{ name: 'sim.getAll', credential: 'user', parameters: () => ({ resource: 'sim', operation: 'getAll', returnAll: true }) },
	{ name: 'sim.get', credential: 'user', parameters: () => ({ resource: 'sim', operation: 'get', iccid: String(sim()?.iccid ?? '89340765000000000000') }) },
	{ name: 'sim.getDataUsage', credential: 'user', parameters: () => ({ resource: 'sim', operation: 'getDataUsage', iccid: String(sim()?.iccid ?? '89340765000000000000') }) },
	{ name: 'device.lockFirmware', credential: 'client', parameters: () => ({ resource: 'device', operation: 'lockFirmware', product: product(), device: rl('id', productDevice(1).id), version: 2 }) },
	{ name: 'device.unlockFirmware', credential: 'client', parameters: () => ({ resource: 'device', operation: 'unlockFirmware', product: product(), device: rl('id', productDevice(1).id) }) },
	{ name: 'device.setForceOta', credential: 'client', parameters: () => ({ resource: 'device', operation: 'setForceOta', product: product(), device: rl('id', productDevice(1).id), forced: true }) },
	{ name: 'productFirmware.getAll', credential: 'client', parameters: () => ({ resource: 'productFirmware', operation: 'getAll', product: product(), returnAll: true }) },
	{ name: 'productFirmware.get', credential: 'client', parameters: () => ({ resource: 'productFirmware', operation: 'get', product: product(), version: productFirmwareVersion() }) },
	{ name: 'productFirmware.upload', credential: 'client', withFile: true, parameters: () => ({ resource: 'productFirmware', operation: 'upload', product: product(), binaryPropertyName: 'data', version: 60, title: 'Proof' }) },
	{ name: 'productFirmware.release', credential: 'client', parameters: () => ({ resource: 'productFirmware', operation: 'release', product: product(), version: productFirmwareVersion(), releaseTo: 'groups', groups: { group: [{ name: rl('name', 'beta') }] } }) },
	{ name: 'productFirmware.delete', credential: 'client', parameters: () => ({ resource: 'productFirmware', operation: 'delete', product: product(), version: 60 }) },
	{ name: 'deviceGroup.getAll', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'getAll', product: product(), returnAll: true }) },
	{ name: 'deviceGroup.create', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'create', product: product(), name: 'proof-group' }) },
	{ name: 'deviceGroup.get', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'get', product: product(), group: rl('name', 'proof-group') }) },
	{ name: 'deviceGroup.update', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'update', product: product(), group: rl('name', 'proof-group'), updateFields: { description: 'proof' } }) },
	{ name: 'deviceGroup.assignDevices', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'assignDevices', product: product(), group: rl('name', 'proof-group'), deviceIds: productDevice(2).id }) },
	{ name: 'deviceGroup.removeDevices', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'removeDevices', product: product(), group: rl('name', 'proof-group'), deviceIds: productDevice(2).id, sendAs: 'eachDevice' }) },
	{ name: 'deviceGroup.getReleaseImpact', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'getReleaseImpact', product: product(), version: productFirmwareVersion(), groups: { group: [{ name: rl('name', 'proof-group') }] } }) },
	{ name: 'deviceGroup.delete', credential: 'client', parameters: () => ({ resource: 'deviceGroup', operation: 'delete', product: product(), group: rl('name', 'proof-group') }) },
	{ name: 'ledger.getAll', credential: 'client', parameters: () => ({ resource: 'ledger', operation: 'getAll', ledgerOwner: 'product', product: product(), returnAll: true }) },
	// Set before Get and Delete: the instance exists when they run.
	{ name: 'ledger.setInstance', credential: 'user', parameters: () => ({ resource: 'ledger', operation: 'setInstance', ledgerName: 'device-config', instanceScope: 'device', device: rl('id', trackerDevice(3).id), data: '{"led":"off"}' }) },
	{ name: 'ledger.getInstance', credential: 'user', parameters: () => ({ resource: 'ledger', operation: 'getInstance', ledgerName: 'device-config', instanceScope: 'device', device: rl('id', trackerDevice(3).id) }) },
	{ name: 'ledger.deleteInstance', credential: 'user', parameters: () => ({ resource: 'ledger', operation: 'deleteInstance', ledgerName: 'device-config', instanceScope: 'device', device: rl('id', trackerDevice(3).id) }) },
	{ name: 'fleetHealth.getMetrics', credential: 'client', parameters: () => ({ resource: 'fleetHealth', operation: 'getMetrics', product: product(), metric: 'online', startDate: new Date(Date.now() - 2 * 3600_000).toISOString(), bucketSize: 3600 }) },
	{ name: 'deviceOs.getAll', credential: 'user', parameters: () => ({ resource: 'deviceOs', operation: 'getAll', returnAll: true }) },
	{ name: 'deviceOs.get', credential: 'client', parameters: () => ({ resource: 'deviceOs', operation: 'get', version: '5.9.0', platform: '13' }) },
	{ name: 'location.getFleet', credential: 'user', parameters: () => ({ resource: 'location', operation: 'getFleet', product: trackerProduct(), returnAll: true }) },
	{ name: 'location.getLast', credential: 'user', parameters: () => ({ resource: 'location', operation: 'getLast', product: trackerProduct(), device: rl('id', heardTracker().id) }) },
	{
		name: 'location.getHistory',
		credential: 'user',
		parameters: () => {
			const heard = Date.parse(String(heardTracker().last_heard));
			return { resource: 'location', operation: 'getHistory', product: trackerProduct(), device: rl('id', heardTracker().id), startDate: new Date(heard - 86_400_000).toISOString(), endDate: new Date(heard).toISOString() };
		},
	},
	// Last, and on Trackers nothing else uses: they take their devices offline, and Release removes the SIM.
	{ name: 'sim.getStatus', credential: 'user', parameters: () => ({ resource: 'sim', operation: 'getStatus', deviceScope: 'product', product: trackerProduct(), iccid: trackerSim(4) }) },
	{ name: 'sim.deactivate', credential: 'user', parameters: () => ({ resource: 'sim', operation: 'deactivate', deviceScope: 'product', product: trackerProduct(), iccid: trackerSim(4) }) },
	{ name: 'sim.reactivate', credential: 'user', parameters: () => ({ resource: 'sim', operation: 'reactivate', deviceScope: 'product', product: trackerProduct(), iccid: trackerSim(4) }) },
	{ name: 'sim.release', credential: 'user', parameters: () => ({ resource: 'sim', operation: 'release', deviceScope: 'product', product: trackerProduct(), iccid: trackerSim(5) }) },
];

/** A small firmware file per input item, for the upload. */
const fileItems = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, () => ({ json: {}, binary: { data: { data: Buffer.from('proof firmware').toString('base64'), mimeType: 'application/octet-stream', fileName: 'proof.bin' } } }));

const credentialsFor = (kind: Case['credential']): { credentials: CredentialData; credentialsHelper?: TestCredentialsHelper } =>
	kind === 'user'
		? { credentials: { ...userToken(cloud()), accessToken: userSecret } }
		: { credentials: productClient(cloud()), credentialsHelper: clientHelper };

/** A refusal that echoes every secret back, as a hostile or buggy server might. */
function hostileRefusal(status: number, path: RegExp = /^\/v1\//): void {
	const echo = `access_token=${userSecret} client_secret=${cloud().productClient.clientSecret} password=${PASSWORDS[0]} ${userSecret}`;
	cloud().injectFault({ path, status, body: { ok: false, error: echo, error_description: `Bearer ${userSecret}`, info: cloud().productClient.clientSecret }, times: 50 });
}

beforeAll(() => {
	userSecret = cloud().issueToken({ kind: 'user' });
});

describe('the Particle node', () => {
	it('covers every operation the node has', () => {
		const all = Object.entries(operations).flatMap(([resource, byOperation]) => Object.keys(byOperation as object).map((operation) => `${resource}.${operation}`));
		const covered = new Set(cases.map((entry) => entry.name.split(' ')[0]));
		expect(all.filter((name) => !covered.has(name))).toEqual([]);
	});

	it.each(cases)('$name: success, refusals echoing secrets, a revoked token: no secret anywhere', async (entry) => {
		const { credentials, credentialsHelper } = credentialsFor(entry.credential);
		for (const variant of ['plain', 'refused 400', 'refused 500', 'continue on fail'] as const) {
			cloud().clearFaults();
			if (variant === 'refused 400') hostileRefusal(400, entry.faultPath);
			// 500 on the first request only: reads retry and succeed, writes stop with an error.
			if (variant === 'refused 500') cloud().injectFault({ path: entry.faultPath ?? /^\/v1\//, status: 500, body: { error: `oops ${userSecret}` } });
			if (variant === 'continue on fail') hostileRefusal(403, entry.faultPath);
			const count = variant === 'continue on fail' ? 2 : 1;
			const input = entry.withFile ? { inputItems: fileItems(count) } : { items: Array.from({ length: count }, () => ({})) };
			const result = await runNode({ parameters: entry.parameters(), credentials, credentialsHelper, continueOnFail: variant === 'continue on fail', ...input });
			scanResult(`${entry.name} (${variant})`, result, { wholeRun: true });
			if (variant === 'plain') {
				// The plain run must really succeed, or the scan would only ever see error paths.
				expect([entry.name, result.status, result.error?.message]).toEqual([entry.name, 'success', undefined]);
				entry.after?.(result);
			}
			if (variant === 'refused 400') expect(result.status).toBe('error');
			if (variant === 'continue on fail') expect(result.items.map((item) => typeof item.json.error)).toEqual(['string', 'string']);
		}
		cloud().clearFaults();
		// A revoked token: the user's, or the product token the client minted (so the client must exchange again).
		if (entry.credential === 'user') {
			const revoked = cloud().issueToken({ kind: 'user' });
			cloud().revokeToken(revoked);
			const result = await runNode({ parameters: entry.parameters(), credentials: { ...credentials, accessToken: revoked }, continueOnFail: true });
			scanResult(`${entry.name} (revoked)`, result, { wholeRun: true });
			expectNoSecret(`${entry.name} (revoked) items`, JSON.stringify(result.items).replaceAll(revoked, ''));
			expect(JSON.stringify(result.items)).not.toContain(revoked);
		} else {
			const stored = String(clientHelper.store.get(CREDENTIAL_ID)?.sessionToken ?? '');
			if (stored !== '') cloud().revokeToken(stored);
			const result = await runNode({ parameters: entry.parameters(), credentials, credentialsHelper, continueOnFail: true });
			scanResult(`${entry.name} (product token revoked)`, result, { wholeRun: true });
		}
	});
});

describe('the triggers', () => {
	it('Particle Trigger (polling): success and refusals, user token and product client', async () => {
		for (const [credentials, parameters] of [
			[{ ...userToken(cloud()), accessToken: userSecret }, { events: ['deviceWentOffline', 'deviceCameOnline', 'vitalsUpdated'], deviceScope: 'sandbox' }],
			[productClient(cloud()), { events: ['deviceWentOffline', 'vitalsUpdated'], deviceScope: 'product', product: product() }],
		] as Array<[CredentialData, INodeParameters]>) {
			const helper = new TestCredentialsHelper();
			const staticData: IDataObject = {};
			const poll = async () => await runPoll({ parameters, credentials, staticData, credentialsHelper: helper });
			await poll();
			const device = onlineSandbox();
			cloud().setOnline(device.id, false);
			cloud().setVitals(sandbox(0).id, { device: { system: { uptime: 42 } } });
			const output = await poll();
			cloud().setOnline(device.id, true);
			const stored = helper.store.get(CREDENTIAL_ID)?.sessionToken;
			if (typeof stored === 'string' && stored !== '') sessionTokens.add(stored);
			tally.runs++;
			tally.items += output?.[0].length ?? 0;
			expectNoSecret('poll output', JSON.stringify(output));
			for (const status of [400, 401, 500]) {
				hostileRefusal(status);
				const failure = await poll().then(
					() => undefined,
					(error: unknown) => error as Error & { description?: string },
				);
				cloud().clearFaults();
				tally.runs++;
				expect(failure).toBeDefined();
				expectNoSecret(`poll refused ${status}`, JSON.stringify({ message: failure?.message, description: failure?.description, stack: failure?.stack }));
			}
		}
	});

	it('Particle Event Trigger: events, drops, refused reopens, failed activations', async () => {
		for (const [credentials, parameters] of [
			[{ ...userToken(cloud()), accessToken: userSecret }, { scope: 'mine', eventName: 'proof' }],
			[productClient(cloud()), { scope: 'product', product: product(), eventName: 'proof' }],
		] as Array<[CredentialData, INodeParameters]>) {
			const helper = new TestCredentialsHelper();
			const trigger = await startTrigger({ parameters, credentials, credentialsHelper: helper });
			try {
				const stored = helper.store.get(CREDENTIAL_ID)?.sessionToken;
				if (typeof stored === 'string' && stored !== '') sessionTokens.add(stored);
				const publish = () =>
					cloud().fleet.publish({
						name: 'proof/secret',
						data: `{"token":"not-a-secret"}`,
						ttl: 60,
						private: true,
						published_at: new Date().toISOString(),
						coreid: parameters.scope === 'mine' ? sandbox(0).id : productDevice(0).id,
						userid: cloud().fleet.user.id,
						...(parameters.scope === 'product' ? { productID: cloud().productClient.productId } : {}),
					});
				publish();
				await until('the event', () => trigger.emitted.length === 1);
				const before = cloud().requests.length;
				cloud().injectFault({ method: 'GET', path: /events/, status: 529, headers: { 'Retry-After': '0' }, body: { error: `slow down ${userSecret}` } });
				cloud().dropStreams();
				await until('a reopened stream', () => cloud().openStreams() === 1 && cloud().requests.slice(before).filter((call) => /events/.test(call.path)).length >= 2, 8000);
				publish();
				await until('the second event', () => trigger.emitted.length === 2);
				tally.runs++;
				tally.items += trigger.emitted.length;
				expectNoSecret('emitted events', JSON.stringify(trigger.emitted));
				expectNoSecret('trigger errors', JSON.stringify(trigger.errors.map((error) => [error.message, error.stack])));
			} finally {
				await trigger.close();
			}
		}
		const revoked = cloud().issueToken({ kind: 'user' });
		cloud().revokeToken(revoked);
		for (const credentials of [{ ...userToken(cloud()), accessToken: revoked }, { ...userToken(cloud()), accessToken: userSecret }]) {
			if (credentials.accessToken === userSecret) hostileRefusal(403);
			const failure = await startTrigger({ parameters: { scope: 'mine' }, credentials }).then(
				async (trigger) => {
					await trigger.close();
					return undefined;
				},
				(error: unknown) => error as Error & { description?: string },
			);
			cloud().clearFaults();
			tally.runs++;
			expect(failure?.message).toMatch(/access token|not allowed/);
			expectNoSecret('failed activation', JSON.stringify({ message: failure?.message, description: failure?.description, stack: failure?.stack }).replaceAll(revoked, '<revoked>'));
			expect(JSON.stringify({ message: failure?.message, description: failure?.description })).not.toContain(revoked);
		}
	}, 30_000);
});

describe('what reached the cloud and what was logged', () => {
	it('no URL carried a secret; the tokens travelled only in the Authorization header', () => {
		expect(seen.length).toBeGreaterThan(200);
		const { clientId, clientSecret } = cloud().productClient;
		const clientBasic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
		const signedByClient = new Set<string>();
		for (const call of seen) {
			expectNoSecret(`URL ${call.method} ${call.path}`, `${call.path} ${call.decodedPath} ${JSON.stringify(call.query)}`);
			if (call.authorization === undefined) continue;
			const line = `${call.method} ${call.decodedPath}`;
			if (call.authorization.startsWith('Basic ')) {
				// The OAuth client signs the token exchange and customer creation as HTTP Basic, and nothing else.
				expect(call.authorization).toBe(clientBasic);
				expect(line).toMatch(/^POST \/oauth\/token$|^POST \/v1\/products\/\d+\/customers$/);
				signedByClient.add(line.replace(/\/products\/\d+\//, '/products/:p/'));
			} else {
				expect(call.authorization).toMatch(/^Bearer [0-9a-f]{40}$/);
			}
		}
		expect([...signedByClient].sort()).toEqual(['POST /oauth/token', 'POST /v1/products/:p/customers']);
		// The client secret travels in the Authorization header only, never in a body.
		const withSecret = seen.filter((call) => call.rawBody.includes(clientSecret) || call.rawBody.includes(encodeURIComponent(clientSecret)));
		expect(withSecret.map((call) => `${call.method} ${call.decodedPath}`)).toEqual([]);
	});

	it('the logs hold no secret', () => {
		expect(logged.length).toBeGreaterThan(0);
		// n8n-core's own debug record of a failed run includes the node and its parameters, where a typed-in
		// customer password is by the user's hand (masked in the editor, stored with the workflow): tokens and the
		// client secret must still be absent from those records, and passwords from everything else.
		const typedIn = /"parameters":\{[^{}]*(\{[^{}]*\}[^{}]*)*\}/g;
		for (const line of logged) {
			expectNoSecret('log record', line.replace(typedIn, '"parameters":"<the node\'s own parameters>"'));
			for (const secret of [userSecret, cloud().productClient.clientSecret, ...sessionTokens]) expect(line).not.toContain(secret);
		}
	});
});
