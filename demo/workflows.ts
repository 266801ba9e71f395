/**
 * The demo's example workflows, as n8n workflow JSON. Built in code so the credential, the output folder and the
 * webhook path are filled in for the n8n they are imported into; `npm start` also writes them to the output folder
 * so they can be imported by hand into any n8n.
 */
import { join } from 'node:path';

export const PACKAGE = 'n8n-nodes-particle';

export interface DemoCredentialRef {
	id: string;
	name: string;
}

export interface WorkflowSettings {
	credential: DemoCredentialRef;
	/** Where the file nodes write: alerts, events and CSV exports land here. */
	outputDir: string;
}

export interface DemoWorkflow {
	id: string;
	name: string;
	/** Whether `npm start` activates it (triggers only fire in active workflows). */
	active: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: { executionOrder: 'v1' };
	pinData: Record<string, never>;
}

interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, DemoCredentialRef>;
	webhookId?: string;
	/** n8n's "On Error" setting; Continue On Fail is `continueRegularOutput`. */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** n8n's "Execute Once" setting: the node runs for the first input item only. */
	executeOnce?: boolean;
}

export const WEBHOOK_PATH = 'particle-call-function';
export const ALERTS_FILE = 'offline-alerts.log';
export const EVENTS_FILE = 'live-events.log';
export const CSV_FILE_PREFIX = 'vitals-';
/** Prefix of the events the live-events workflow listens to (the fake fleet publishes `demo/temperature`). */
export const LIVE_EVENT_PREFIX = 'demo/';

function chain(...names: string[]): DemoWorkflow['connections'] {
	const connections: DemoWorkflow['connections'] = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}

function particle(settings: WorkflowSettings, node: Omit<WorkflowNode, 'credentials'>): WorkflowNode {
	return { ...node, credentials: { particleApi: settings.credential } };
}

/** One line of text per item, appended to a file: what a person reads with `tail -f`. */
function appendLineNodes(prefix: string, line: string, file: string, x: number): WorkflowNode[] {
	return [
		{
			id: `${prefix}-line`,
			name: 'Write the Message',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [x, 0],
			parameters: {
				mode: 'manual',
				assignments: { assignments: [{ id: `${prefix}-a1`, name: 'line', type: 'string', value: line }] },
				options: {},
			},
		},
		{
			id: `${prefix}-text`,
			name: 'To Text File',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			position: [x + 220, 0],
			parameters: { operation: 'toText', sourceProperty: 'line', options: { fileName: file } },
		},
		{
			id: `${prefix}-append`,
			name: 'Append to Log',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [x + 440, 0],
			parameters: { operation: 'write', fileName: file, dataPropertyName: 'data', options: { append: true } },
		},
	];
}

export function offlineAlert(settings: WorkflowSettings): DemoWorkflow {
	const file = join(settings.outputDir, ALERTS_FILE);
	const line =
		"={{ $now.toISO() }} ALERT {{ $json.deviceName ?? $json.deviceId }} ({{ $json.deviceId }}) went offline; last heard {{ $json.lastHeard }}\n";
	const nodes: WorkflowNode[] = [
		particle(settings, {
			id: 'offline-trigger',
			name: 'When a Device Goes Offline',
			type: `${PACKAGE}.particleTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['deviceWentOffline'], deviceScope: 'sandbox' },
		}),
		...appendLineNodes('offline', line, file, 240),
	];
	return {
		id: 'ParticleDemo0001',
		name: 'Particle demo: offline alert',
		active: true,
		nodes,
		connections: chain('When a Device Goes Offline', 'Write the Message', 'To Text File', 'Append to Log'),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

export function vitalsCsvExport(settings: WorkflowSettings): DemoWorkflow {
	const fileName = `={{ ${JSON.stringify(join(settings.outputDir, CSV_FILE_PREFIX))} + $now.toFormat("yyyy-LL-dd'T'HH-mm-ss") + '.csv' }}`;
	const nodes: WorkflowNode[] = [
		{
			id: 'csv-schedule',
			name: 'Every Day at 6',
			type: 'n8n-nodes-base.scheduleTrigger',
			typeVersion: 1.2,
			position: [0, 0],
			parameters: { rule: { interval: [{ field: 'days', triggerAtHour: 6 }] } },
		},
		{
			id: 'csv-now',
			name: 'Export Now',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 200],
			parameters: {},
		},
		particle(settings, {
			id: 'csv-devices',
			name: 'List My Devices',
			type: `${PACKAGE}.particle`,
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox', returnAll: true, filters: {} },
		}),
		particle(settings, {
			id: 'csv-history',
			name: 'Vitals of the Last Day as CSV',
			type: `${PACKAGE}.particle`,
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				resource: 'vitals',
				operation: 'getHistory',
				deviceScope: 'sandbox',
				device: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				startDate: '={{ $now.minus({ days: 1 }).toISO() }}',
				output: 'csv',
				binaryPropertyName: 'data',
				csvOptions: { merge: true },
			},
		}),
		{
			id: 'csv-write',
			name: 'Save the CSV',
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1,
			position: [660, 0],
			parameters: { operation: 'write', fileName, dataPropertyName: 'data', options: {} },
		},
	];
	return {
		id: 'ParticleDemo0002',
		name: 'Particle demo: scheduled vitals CSV export',
		active: false,
		nodes,
		connections: {
			...chain('Every Day at 6', 'List My Devices', 'Vitals of the Last Day as CSV', 'Save the CSV'),
			// Run by hand too: "Execute workflow" in the editor, or `n8n execute --id=...`.
			...chain('Export Now', 'List My Devices'),
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * What the webhook answers when the call fails, from the Particle node's error item (Continue On Fail): Particle's own
 * words and the status its `httpCode` calls for. 404 (Particle could not find the device or the function, or the
 * device is not connected) stays 404; 408 (the device did not answer) and a Particle 5xx are 502, the cloud behind
 * this webhook failed, so the caller does not take it for its own mistake; the rest (a bad argument, no device given,
 * input refused before sending) is 400.
 */
export const WEBHOOK_ERROR_STATUS =
	"={{ String($json.httpCode ?? '') === '404' ? 404 : /^(408|5\\d\\d)$/.test(String($json.httpCode ?? '')) ? 502 : 400 }}";

export function callFunctionFromWebhook(settings: WorkflowSettings): DemoWorkflow {
	const nodes: WorkflowNode[] = [
		{
			id: 'hook-in',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'a1b2c3d4-0000-4000-8000-particle0003',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'responseNode', options: {} },
		},
		{
			...particle(settings, {
				id: 'hook-call',
				name: 'Call the Function',
				type: `${PACKAGE}.particle`,
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'function',
					operation: 'call',
					deviceScope: 'sandbox',
					device: { __rl: true, mode: 'id', value: '={{ $json.body.device }}' },
					functionName: "={{ $json.body.function ?? 'setColor' }}",
					argument: "={{ $json.body.argument ?? '' }}",
					options: {},
				},
			}),
			// A failed call becomes an item with `error`, so the caller gets an answer instead of n8n's 500.
			onError: 'continueRegularOutput',
		},
		{
			id: 'hook-failed',
			name: 'Did the Call Fail?',
			type: 'n8n-nodes-base.if',
			typeVersion: 2.2,
			position: [440, 0],
			parameters: {
				conditions: {
					options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 2 },
					conditions: [
						{
							id: 'hook-failed-error',
							leftValue: '={{ $json.error }}',
							rightValue: '',
							operator: { type: 'string', operation: 'exists', singleValue: true },
						},
					],
					combinator: 'and',
				},
				options: {},
			},
		},
		{
			id: 'hook-refused',
			name: "Answer with Particle's Error",
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [660, -100],
			parameters: {
				respondWith: 'json',
				responseBody: '={{ { ok: false, error: $json.error, description: $json.description } }}',
				options: { responseCode: WEBHOOK_ERROR_STATUS },
			},
		},
		{
			id: 'hook-answer',
			name: "Answer with Particle's Result",
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [660, 100],
			parameters: { respondWith: 'firstIncomingItem', options: {} },
		},
	];
	return {
		id: 'ParticleDemo0003',
		name: 'Particle demo: call a function from a webhook',
		active: true,
		nodes,
		connections: {
			...chain('Webhook', 'Call the Function', 'Did the Call Fail?'),
			'Did the Call Fail?': {
				main: [
					[{ node: "Answer with Particle's Error", type: 'main', index: 0 }],
					[{ node: "Answer with Particle's Result", type: 'main', index: 0 }],
				],
			},
		},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

export function liveEvents(settings: WorkflowSettings): DemoWorkflow {
	const file = join(settings.outputDir, EVENTS_FILE);
	const line = '={{ $json.published_at }} {{ $json.coreid }} {{ $json.name }} {{ JSON.stringify($json.data) }}\n';
	const nodes: WorkflowNode[] = [
		particle(settings, {
			id: 'events-trigger',
			name: 'On Particle Events',
			type: `${PACKAGE}.particleEventTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { scope: 'mine', eventName: LIVE_EVENT_PREFIX, options: {} },
		}),
		...appendLineNodes('events', line, file, 240),
	];
	return {
		id: 'ParticleDemo0004',
		name: 'Particle demo: live events',
		active: true,
		nodes,
		connections: chain('On Particle Events', 'Write the Message', 'To Text File', 'Append to Log'),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** The demo fleet's product (the fake cloud numbers its products from 10001); on the real cloud, pick yours. */
export const DEMO_PRODUCT_ID = '10001';
/** The device group the firmware example releases to. */
export const TEST_GROUP = 'test';

/**
 * Release firmware to a test group, then watch the group come back online: two product devices join the group "test"
 * (one update per device, which creates the group if it is new), the newest firmware version is released to that group
 * as an intelligent release (online devices update at once and restart), and after a short wait the group's devices
 * are listed with their online state and the firmware version they run.
 */
export function releaseToTestGroup(settings: WorkflowSettings): DemoWorkflow {
	const product = { __rl: true, mode: 'id', value: DEMO_PRODUCT_ID };
	const group = { __rl: true, mode: 'name', value: TEST_GROUP };
	const nodes: WorkflowNode[] = [
		{
			id: 'release-now',
			name: 'Release Now',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		particle(settings, {
			id: 'release-pick',
			name: 'Pick Two Devices',
			type: `${PACKAGE}.particle`,
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'product', product, limit: 2, filters: {} },
		}),
		particle(settings, {
			id: 'release-group',
			name: 'Into the Test Group',
			type: `${PACKAGE}.particle`,
			typeVersion: 1,
			position: [440, 0],
			parameters: { resource: 'deviceGroup', operation: 'assignDevices', product, group, deviceIds: '={{ $json.id }}', sendAs: 'eachDevice' },
		}),
		particle(settings, {
			id: 'release-versions',
			name: 'Firmware Versions',
			type: `${PACKAGE}.particle`,
			typeVersion: 1,
			position: [660, 0],
			parameters: { resource: 'productFirmware', operation: 'getAll', product, returnAll: true },
			executeOnce: true,
		}),
		particle(settings, {
			id: 'release-release',
			name: 'Release the Newest to the Test Group',
			type: `${PACKAGE}.particle`,
			typeVersion: 1,
			position: [880, 0],
			parameters: {
				resource: 'productFirmware',
				operation: 'release',
				product,
				version: "={{ Math.max(...$('Firmware Versions').all().map((item) => item.json.version)) }}",
				releaseTo: 'groups',
				groups: { group: [{ name: group }] },
				intelligent: true,
			},
			executeOnce: true,
		}),
		{
			id: 'release-wait',
			name: 'Give Them 15 Seconds',
			type: 'n8n-nodes-base.wait',
			typeVersion: 1.1,
			position: [1100, 0],
			parameters: { resume: 'timeInterval', amount: 15, unit: 'seconds' },
		},
		particle(settings, {
			id: 'release-check',
			name: 'The Test Group Now',
			type: `${PACKAGE}.particle`,
			typeVersion: 1,
			position: [1320, 0],
			parameters: { resource: 'device', operation: 'getAll', deviceScope: 'product', product, returnAll: true, filters: { groups: TEST_GROUP }, simplify: true },
			executeOnce: true,
		}),
	];
	return {
		id: 'ParticleDemo0005',
		name: 'Particle demo: release firmware to a test group',
		active: false,
		nodes,
		connections: chain('Release Now', 'Pick Two Devices', 'Into the Test Group', 'Firmware Versions', 'Release the Newest to the Test Group', 'Give Them 15 Seconds', 'The Test Group Now'),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * Particle calls n8n: a Particle Webhook Trigger (an integration for events named `prefix…`), then one line per event.
 * Not among the demo's workflows (the queue-mode test uses it): Particle must reach n8n's webhook URL.
 */
export function webhookEvents(settings: WorkflowSettings, prefix: string, fileName: string): DemoWorkflow {
	const file = join(settings.outputDir, fileName);
	const line = '={{ $json.published_at }} {{ $json.coreid }} {{ $json.name }} {{ JSON.stringify($json.data) }}\n';
	const nodes: WorkflowNode[] = [
		particle(settings, {
			id: 'hook-trigger',
			webhookId: 'a1b2c3d4-0000-4000-8000-particlehook1',
			name: 'On Particle Webhook',
			type: `${PACKAGE}.particleWebhookTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { deviceScope: 'sandbox', eventName: prefix, options: {} },
		}),
		...appendLineNodes('hook', line, file, 240),
	];
	return {
		id: 'ParticleQueueHook1',
		name: 'Particle: webhook events',
		active: false,
		nodes,
		connections: chain('On Particle Webhook', 'Write the Message', 'To Text File', 'Append to Log'),
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

export function demoWorkflows(settings: WorkflowSettings): DemoWorkflow[] {
	return [offlineAlert(settings), vitalsCsvExport(settings), callFunctionFromWebhook(settings), liveEvents(settings), releaseToTestGroup(settings)];
}
