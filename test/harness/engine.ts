/**
 * Runs a node through n8n's real execution engine (n8n-core's WorkflowExecute), with its real request helpers,
 * against whatever server the credential's base URL points at.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

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

export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const credentialsHelper = options.credentialsHelper ?? new TestCredentialsHelper();
	if (!credentialsHelper.store.has(CREDENTIAL_ID)) {
		credentialsHelper.store.set(CREDENTIAL_ID, { sessionToken: '', ...options.credentials });
	}
	const node: INode = {
		id: 'node-1',
		name: NODE_NAME,
		type: `${PACKAGE_PREFIX}${options.type ?? 'particle'}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: 'workflow-1',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
	});
	const items: INodeExecutionData[] = (options.items ?? [{}]).map((json) => ({ json }));
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items] }, source: null }] },
	});
	const additionalData = additionalDataFor(credentialsHelper);
	additionalData.hooks = new ExecutionLifecycleHooks('manual', 'execution-1', {
		id: workflow.id,
		name: 'Particle test',
		active: false,
		isArchived: false,
		nodes: [node],
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	});
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
