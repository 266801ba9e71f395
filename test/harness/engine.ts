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
	continueOnFail?: boolean;
	/** Reuse a helper to keep stored credential data (the cached product token) between runs. */
	credentialsHelper?: TestCredentialsHelper;
}

export interface NodeRunResult {
	/** Absent when n8n refused to start the run. */
	run?: IRun;
	status: IRun['status'];
	/** Output items of the node's first output (empty when the run failed). */
	items: INodeExecutionData[];
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
	continueOnFail = false,
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
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
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
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json }));
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
		return { status: 'error', items: [], error: error as NodeRunResult['error'], credentialsHelper };
	}

	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	return {
		run,
		status: run.status,
		items: taskData?.data?.main?.[0] ?? [],
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
}

export interface RunningTrigger {
	/** Every item emitted so far, in order. */
	emitted: IDataObject[];
	/** Errors the trigger reported to n8n with emitError. */
	errors: Error[];
	response: ITriggerResponse;
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
	const { node, workflow } = buildWorkflow(options.type ?? 'particleEventTrigger', options.parameters);
	const emitted: IDataObject[] = [];
	const errors: Error[] = [];
	const context = new TriggerContext(
		workflow,
		node,
		additionalDataFor(credentialsHelper),
		options.mode ?? 'trigger',
		'activate',
		(data) => {
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
	return {
		emitted,
		errors,
		response,
		close: async () => {
			await response.closeFunction?.();
		},
	};
}
