/**
 * Runs a node through n8n's real execution engine (n8n-core's WorkflowExecute), with its real request helpers,
 * against whatever server the credential's base URL points at.
 */
import { ExecutionLifecycleHooks, LoadOptionsContext, PollContext, TriggerContext, WorkflowExecute } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeListSearchResult,
	INodeExecutionData,
	INodeParameters,
	IRun,
	ITriggerResponse,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, IsolateError, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper, type CredentialData } from './credentials';
import { nodeTypes, PACKAGE_PREFIX } from './nodeTypes';
// For the webhook trigger harness below.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';
import { HookContext, WebhookContext } from 'n8n-core';
import type { IWebhookData, IWebhookResponseData } from 'n8n-workflow';

export const CREDENTIAL_ID = 'particle-credential-1';

export function additionalDataFor(credentialsHelper: TestCredentialsHelper): IWorkflowExecuteAdditionalData {
	const base = 'http://127.0.0.1:5678';
	return {
		credentialsHelper,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used here');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('task runners are not used here');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunNodeOptions {
	/** Node type without the package prefix, e.g. `particle`. */
	type?: string;
	parameters: INodeParameters;
	credentials: CredentialData;
	/** Input items' JSON; one empty item by default. */
	items?: IDataObject[];
	/** Whole input items (with binary data, for an upload); used instead of `items` when set. */
	inputItems?: INodeExecutionData[];
	/** true: "Continue" (regular output); 'errorOutput': "Continue (using error output)". */
	continueOnFail?: boolean | 'errorOutput';
	/** Reuse a helper to keep stored credential data (the cached product token) between runs. */
	credentialsHelper?: TestCredentialsHelper;
}

export interface NodeRunResult {
	/** Absent when n8n refused to start the run. */
	run?: IRun;
	status: IRun['status'];
	/** Output items of the node's first output (empty when the run failed). */
	items: INodeExecutionData[];
	/** Items of the error output, with `continueOnFail: 'errorOutput'`. */
	errorItems: INodeExecutionData[];
	error?: Error & { description?: string | null; httpCode?: string | null; context?: IDataObject };
	credentialsHelper: TestCredentialsHelper;
}

const NODE_NAME = 'Particle';

function storeCredentials(helper: TestCredentialsHelper, credentials: CredentialData): void {
	if (!helper.store.has(CREDENTIAL_ID)) helper.store.set(CREDENTIAL_ID, { sessionToken: '', ...credentials });
}

function buildWorkflow(
	type: string,
	parameters: INodeParameters,
	continueOnFail: boolean | 'errorOutput' = false,
	staticData?: IDataObject,
): { node: INode; workflow: Workflow } {
	const node: INode = {
		id: 'node-1',
		name: NODE_NAME,
		type: `${PACKAGE_PREFIX}${type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
		...(continueOnFail === 'errorOutput'
			? { onError: 'continueErrorOutput' as const }
			: continueOnFail
				? { onError: 'continueRegularOutput' as const }
				: {}),
	};
	const workflow = new Workflow({ id: 'workflow-1', nodes: [node], connections: {}, active: false, nodeTypes, staticData });
	return { node, workflow };
}

/** The lifecycle hooks of a manual run of a one-node workflow (n8n-core calls them; nothing here listens). */
export function manualRunHooks(workflow: Workflow, node: INode, executionId: string): ExecutionLifecycleHooks {
	return new ExecutionLifecycleHooks('manual', executionId, {
		id: workflow.id ?? 'workflow',
		name: workflow.name ?? 'Particle test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	});
}

export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	storeCredentials(credentialsHelper, options.credentials);
	const { node, workflow } = buildWorkflow(options.type ?? 'particle', options.parameters, options.continueOnFail);
	const items: INodeExecutionData[] = options.inputItems ?? (options.items ?? [{}]).map((json) => ({ json }));
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] },
	});
	const additionalData = additionalDataFor(credentialsHelper);
	additionalData.hooks = manualRunHooks(workflow, node, 'execution-1');
	let run: IRun;
	try {
		run = await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	} catch (error) {
		// n8n refuses to start a workflow whose parameters fail their static checks (WorkflowHasIssuesError).
		return { status: 'error', items: [], errorItems: [], error: error as NodeRunResult['error'], credentialsHelper };
	}

	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	return {
		run,
		status: run.status,
		items: taskData?.data?.main?.[0] ?? [],
		errorItems: taskData?.data?.main?.[1] ?? [],
		error: (run.data.resultData.error ?? taskData?.error) as NodeRunResult['error'],
		credentialsHelper,
	};
}

export interface ListSearchOptions {
	type?: string;
	/** The node's current parameters, as the editor sends them with the request. */
	parameters: INodeParameters;
	credentials: CredentialData;
	method: string;
	filter?: string;
	paginationToken?: string;
}

/** Calls a `listSearch` method the way the editor does, through n8n-core's load-options context. */
export async function runListSearch(options: ListSearchOptions): Promise<INodeListSearchResult> {
	const credentialsHelper = new TestCredentialsHelper();
	storeCredentials(credentialsHelper, options.credentials);
	const { node, workflow } = buildWorkflow(options.type ?? 'particle', options.parameters);
	const additionalData = additionalDataFor(credentialsHelper);
	additionalData.currentNodeParameters = options.parameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
	const nodeType = nodeTypes.getByNameAndVersion(node.type);
	const method = nodeType.methods?.listSearch?.[options.method];
	if (!method) throw new Error(`No listSearch method ${options.method}`);
	return await method.call(context, options.filter, options.paginationToken);
}

export interface PollOptions {
	type?: string;
	parameters: INodeParameters;
	credentials: CredentialData;
	/** The workflow's static data: pass the same object (or a JSON copy, to simulate a restart) between polls. */
	staticData: IDataObject;
	mode?: 'trigger' | 'manual';
	credentialsHelper?: TestCredentialsHelper;
}

/** Runs a polling trigger's `poll()` once through n8n-core's poll context, as n8n's scheduler does. */
export async function runPoll(options: PollOptions): Promise<INodeExecutionData[][] | null> {
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	storeCredentials(credentialsHelper, options.credentials);
	const { node, workflow } = buildWorkflow(options.type ?? 'particleTrigger', options.parameters, false, options.staticData);
	const context = new PollContext(workflow, node, additionalDataFor(credentialsHelper), options.mode ?? 'trigger', 'activate');
	const nodeType = nodeTypes.getByNameAndVersion(node.type);
	if (!nodeType.poll) throw new Error(`${node.type} has no poll()`);
	return await nodeType.poll.call(context);
}

export interface TriggerOptions {
	type?: string;
	parameters: INodeParameters;
	credentials: CredentialData;
	mode?: 'trigger' | 'manual';
	credentialsHelper?: TestCredentialsHelper;
	/** The workflow's static data: the same object (or a JSON copy, to simulate a restart) across activations. */
	staticData?: IDataObject;
}

export interface RunningTrigger {
	/** Every item emitted so far, in order. */
	emitted: IDataObject[];
	/** Errors the trigger reported to n8n with emitError. */
	errors: Error[];
	response: ITriggerResponse;
	/**
	 * The static data as a real n8n 2.41 would have written it to its database: after the activation and at each emit,
	 * and only when n8n's change tracking saw a change (undefined: never written). Restart a trigger from this.
	 */
	savedStaticData(): IDataObject | undefined;
	close(): Promise<void>;
}

/**
 * What a real n8n 2.41 does once an activation is over: it releases the expression engine's isolate, so evaluating
 * an expression later (a credential's generic `authenticate` on a reconnect, a parameter read in a timer) fails
 * with this error. The harness does the same, so such code fails here and not only in a real n8n.
 */
export function releaseExpressionIsolate(workflow: Workflow): void {
	const expression = workflow.expression as unknown as Record<string, unknown>;
	for (const method of ['getSimpleParameterValue', 'getParameterValue', 'getComplexParameterValue']) {
		expression[method] = () => {
			throw new IsolateError('No bridge acquired for this context. Call acquire() first.');
		};
	}
}

/** Activates a trigger node through n8n-core's trigger context, recording what it emits. */
export async function startTrigger(options: TriggerOptions): Promise<RunningTrigger> {
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	storeCredentials(credentialsHelper, options.credentials);
	const { node, workflow } = buildWorkflow(options.type ?? 'particleEventTrigger', options.parameters, false, options.staticData);
	const emitted: IDataObject[] = [];
	const errors: Error[] = [];
	let saved: IDataObject | undefined;
	// As n8n's WorkflowStaticDataService.saveStaticData: written only when the observable static data says it changed.
	const save = () => {
		const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (staticData.__dataChanged !== true) return;
		saved = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		staticData.__dataChanged = false;
	};
	const context = new TriggerContext(
		workflow,
		node,
		additionalDataFor(credentialsHelper),
		options.mode ?? 'trigger',
		'activate',
		(data) => {
			save();
			for (const item of data[0] ?? []) emitted.push(item.json);
		},
		(error) => {
			errors.push(error);
		},
	);
	const nodeType = nodeTypes.getByNameAndVersion(node.type);
	if (!nodeType.trigger) throw new Error(`${node.type} has no trigger()`);
	const response = (await nodeType.trigger.call(context)) ?? {};
	releaseExpressionIsolate(workflow);
	save();
	return {
		emitted,
		errors,
		response,
		savedStaticData: () => saved,
		close: async () => {
			await response.closeFunction?.();
		},
	};
}

// ------------------------------------------------------------------------------------------------------------------
// Webhook triggers: n8n's webhook lifecycle (checkExists / create / delete through n8n-core's HookContext) and its
// webhook server (each request through n8n-core's WebhookContext, as n8n 2.41's live webhooks run it).

/** A stand-in for n8n's webhook server: real HTTP on 127.0.0.1, `POST /webhook/<webhookId>/<path>` to the trigger. */
export interface WebhookHost {
	/** n8n's webhookBaseUrl, e.g. http://127.0.0.1:PORT/webhook */
	readonly baseUrl: string;
	close(): Promise<void>;
}

type WebhookHandler = (req: IncomingMessage & IDataObject, res: ServerResponse, rawBody: string) => Promise<void>;
const webhookRoutes = new WeakMap<WebhookHost, Map<string, WebhookHandler>>();

export async function startWebhookHost(): Promise<WebhookHost> {
	const routes = new Map<string, WebhookHandler>();
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const path = (req.url ?? '/').split('?')[0];
			const handler = req.method === 'POST' ? routes.get(path) : undefined;
			if (!handler) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ code: 404, message: `The requested webhook "${req.method} ${path}" is not registered.` }));
				return;
			}
			handler(req as IncomingMessage & IDataObject, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
				if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ code: 0, message: `harness: ${String(error)}` }));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const host: WebhookHost = {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	webhookRoutes.set(host, routes);
	return host;
}

export interface WebhookTriggerOptions {
	host: WebhookHost;
	type?: string;
	parameters: INodeParameters;
	credentials: CredentialData;
	credentialsHelper?: TestCredentialsHelper;
	/** The static data n8n loads from its database: a JSON copy of an earlier savedStaticData() is a restart. */
	staticData?: IDataObject;
	/** n8n gives each webhook node a webhookId that stays with it (restarts included); it is in the URL. */
	webhookId?: string;
	/** 'activate' when a user activates the workflow, 'init' when n8n starts with it active. */
	activation?: 'activate' | 'init';
	/** 'manual': the editor's "Listen for test event" (the test URL, HookContext mode 'manual', as n8n's test webhooks). */
	mode?: 'trigger' | 'manual';
}

export interface WebhookCall {
	status: number;
	body: string;
}

export interface ActiveWebhookTrigger {
	/** The production webhook URL the node registered. */
	url: string;
	/** Items of the executions the webhook started, in order. */
	emitted: IDataObject[];
	/** How many executions the webhook started. */
	executions: number;
	/** Every request the webhook answered, in order. */
	calls: WebhookCall[];
	/** The static data as n8n saved it to its database (after activation, each webhook call, deactivation). */
	savedStaticData(): IDataObject;
	/** Deactivation: delete() through a HookContext, then the webhook is unregistered. */
	deactivate(): Promise<boolean | undefined>;
}

/** The body as n8n 2.41's body parser reads it (JSON, urlencoded with querystring, plain text; else nothing). */
function parseWebhookBody(contentType: string, raw: string): unknown {
	if (raw === '') return {};
	if (contentType === 'application/json') return JSON.parse(raw) as unknown;
	if (contentType === 'application/x-www-form-urlencoded') return { ...parseQueryString(raw, undefined, undefined, { maxKeys: 1000 }) };
	if (contentType === 'text/plain') return raw;
	return {};
}

/**
 * Activates a webhook trigger as n8n does: checkExists(), then create() when it answered false, the static data saved;
 * then serves its production URL on `host`, each request with a fresh workflow and the saved static data, as a webhook
 * process loads them from the database.
 */
export async function activateWebhookTrigger(options: WebhookTriggerOptions): Promise<ActiveWebhookTrigger> {
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	storeCredentials(credentialsHelper, options.credentials);
	const type = `${PACKAGE_PREFIX}${options.type ?? 'particleWebhookTrigger'}`;
	const nodeType = nodeTypes.getByNameAndVersion(type);
	const description = nodeType.description.webhooks?.find((webhook) => webhook.name === 'default');
	if (!description || !nodeType.webhook) throw new Error(`${type} has no default webhook`);
	const webhookId = options.webhookId ?? 'a1b2c3d4-0000-4000-8000-00000000beef';
	let saved: IDataObject = JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject;
	const testMode = options.mode === 'manual';
	const baseUrl = testMode ? `${options.host.baseUrl}-test` : options.host.baseUrl;

	const freshWorkflow = () => {
		const node: INode = {
			id: 'node-1',
			name: NODE_NAME,
			type,
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters,
			credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
			webhookId,
		};
		const staticData = JSON.parse(JSON.stringify(saved)) as IDataObject;
		const workflow = new Workflow({ id: 'workflow-1', name: 'Particle webhook test', nodes: [node], connections: {}, active: true, nodeTypes, staticData });
		const additionalData = additionalDataFor(credentialsHelper);
		additionalData.webhookBaseUrl = options.host.baseUrl;
		additionalData.webhookTestBaseUrl = `${options.host.baseUrl}-test`;
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: NODE_NAME,
			path: `${webhookId}/${String(description.path)}`,
			webhookDescription: description,
			workflowId: 'workflow-1',
			workflowExecuteAdditionalData: additionalData,
			webhookId,
			...(testMode ? { isTest: true } : {}),
		};
		return { node: workflow.getNode(NODE_NAME) as INode, workflow, additionalData, webhookData };
	};
	const save = (workflow: Workflow) => {
		const staticData = workflow.staticData as IDataObject & { __dataChanged?: boolean };
		if (staticData.__dataChanged !== true) return;
		const copy = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		delete copy.__dataChanged;
		saved = copy;
		staticData.__dataChanged = false;
	};
	const runHook = async (method: 'checkExists' | 'create' | 'delete', built: ReturnType<typeof freshWorkflow>, mode: 'trigger' | 'internal' | 'manual', activation: string) => {
		const hook = nodeType.webhookMethods?.default?.[method];
		if (!hook) throw new Error(`${type} has no webhookMethods.default.${method}`);
		const context = new HookContext(built.workflow, built.node, built.additionalData, mode, activation as 'activate', built.webhookData);
		return await hook.call(context);
	};

	const activation = freshWorkflow();
	const mode = testMode ? 'manual' : 'trigger';
	const activationKind = testMode ? 'manual' : (options.activation ?? 'activate');
	if (!(await runHook('checkExists', activation, mode, activationKind))) {
		await runHook('create', activation, mode, activationKind);
	}
	save(activation.workflow);

	const emitted: IDataObject[] = [];
	const calls: WebhookCall[] = [];
	const path = new URL(`${baseUrl}/${activation.webhookData.path}`).pathname;
	const routes = webhookRoutes.get(options.host);
	if (!routes) throw new Error('not a host from startWebhookHost()');
	const trigger: ActiveWebhookTrigger = {
		url: `${baseUrl}/${activation.webhookData.path}`,
		emitted,
		executions: 0,
		calls,
		savedStaticData: () => JSON.parse(JSON.stringify(saved)) as IDataObject,
		deactivate: async () => {
			routes.delete(path);
			const built = freshWorkflow();
			// Test webhooks are removed in manual mode, live ones in internal mode (n8n's test and live webhooks).
			const result = await runHook('delete', built, testMode ? 'manual' : 'internal', testMode ? 'manual' : 'update');
			save(built.workflow);
			return result;
		},
	};
	const answer = (res: ServerResponse, status: number, body: unknown) => {
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		calls.push({ status, body: text });
		res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
		res.end(text);
	};
	routes.set(path, async (req, res, rawBody) => {
		const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
		let body: unknown;
		try {
			body = parseWebhookBody(contentType, rawBody);
		} catch {
			answer(res, 422, { code: 422, message: 'Failed to parse request body' });
			return;
		}
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		Object.assign(req, { body, query: Object.fromEntries(url.searchParams), params: {}, contentType, rawBody: Buffer.from(rawBody) });
		const built = freshWorkflow();
		built.additionalData.httpRequest = req as unknown as IWorkflowExecuteAdditionalData['httpRequest'];
		built.additionalData.httpResponse = res as unknown as IWorkflowExecuteAdditionalData['httpResponse'];
		const context = new WebhookContext(built.workflow, built.node, built.additionalData, 'webhook', built.webhookData, [], null);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(context);
		} catch {
			answer(res, 500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		save(built.workflow);
		if (result.noWebhookResponse === true) {
			calls.push({ status: res.statusCode, body: '' });
			if (!res.writableEnded) res.end();
			return;
		}
		if (result.workflowData === undefined) {
			answer(res, 200, result.webhookResponse ?? { message: 'Webhook call received' });
			return;
		}
		trigger.executions++;
		for (const item of result.workflowData[0] ?? []) emitted.push(item.json);
		// n8n 2.41's answer in onReceived mode: nothing for 'noData', the text of another responseData, else the
		// node's webhookResponse, else "Workflow was started".
		const responseData = description.responseData;
		if (responseData === 'noData') answer(res, 200, '');
		else answer(res, 200, responseData ?? result.webhookResponse ?? { message: 'Workflow was started' });
	});
	return trigger;
}
