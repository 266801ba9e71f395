/**
 * A bench-local variant of test/harness/engine.ts runNode: any node (any package, any type version) through n8n-core's
 * real WorkflowExecute, with node types that resolve versioned nodes as n8n does. test/harness stays untouched.
 */
import './env';

import { TriggerContext, WorkflowExecute } from 'n8n-core';
import type {
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	ITriggerResponse,
	IVersionedNodeType,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { TestCredentialsHelper } from '../test/harness/credentials';
import { additionalDataFor, CREDENTIAL_ID, manualRunHooks } from '../test/harness/engine';
import { nodeTypes as packageNodeTypes, PACKAGE_PREFIX } from '../test/harness/nodeTypes';

/** Structural check instead of `instanceof`: a node loaded from another n8n-workflow copy has another class. */
function isVersioned(type: INodeType | IVersionedNodeType): type is IVersionedNodeType {
	return 'nodeVersions' in type && typeof (type as IVersionedNodeType).getNodeType === 'function';
}

/** The package's node types plus extra ones (for example n8n's HTTP Request node), versioned ones resolved by version. */
export function benchNodeTypes(extra: Record<string, INodeType | IVersionedNodeType>): INodeTypes {
	const find = (name: string): INodeType | IVersionedNodeType => extra[name] ?? packageNodeTypes.getByName(name);
	return {
		getByName: find,
		getByNameAndVersion(name: string, version?: number): INodeType {
			const type = find(name);
			return isVersioned(type) ? type.getNodeType(version) : type;
		},
		getKnownTypes(): IDataObject {
			return {};
		},
	};
}

export interface BenchRun {
	run: IRun;
	items: INodeExecutionData[];
}

export interface BenchOutcome extends BenchRun {
	/** The run's error when it failed (the node stopped the workflow); the items are then empty. */
	error?: Error;
}

/** One manual execution of a one-node workflow with `items` as the node's input, failed or not. */
export async function runOnce(
	node: INode,
	nodeTypes: INodeTypes,
	items: IDataObject[],
	credentialsHelper: TestCredentialsHelper,
): Promise<BenchOutcome> {
	const workflow = new Workflow({ id: 'bench-workflow', nodes: [node], connections: {}, active: false, nodeTypes });
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items.map((json) => ({ json }))] }, source: null }] },
	});
	const additionalData = additionalDataFor(credentialsHelper);
	additionalData.hooks = manualRunHooks(workflow, node, 'bench-execution');
	const run = await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const tasks = run.data.resultData.runData[node.name] ?? [];
	const task = tasks[tasks.length - 1];
	const error = run.data.resultData.error ?? task?.error;
	if (run.status === 'error' || error) return { run, items: [], error: new Error(`${node.name} failed: ${error?.message ?? run.status}`) };
	return { run, items: task?.data?.main?.[0] ?? [] };
}

/** One manual execution of a one-node workflow with `items` as the node's input; throws when the run failed. */
export async function executeNode(
	node: INode,
	nodeTypes: INodeTypes,
	items: IDataObject[],
	credentialsHelper: TestCredentialsHelper,
): Promise<BenchRun> {
	const outcome = await runOnce(node, nodeTypes, items, credentialsHelper);
	if (outcome.error) throw outcome.error;
	return outcome;
}

export interface BenchTriggerOptions {
	parameters: INodeParameters;
	credentialsHelper: TestCredentialsHelper;
	/** Called in the emit callback itself, so a timestamp taken here is the moment n8n would start the workflow. */
	onEmit(items: INodeExecutionData[]): void;
	/** Replaces the stream request with an in-memory body, to measure the parser and emitter without a network. */
	streamBody?: (options: IHttpRequestOptions) => AsyncIterable<Buffer>;
}

/** Activates the Particle Event Trigger through n8n-core's TriggerContext (like test/harness startTrigger), timing emits. */
export async function startBenchTrigger(options: BenchTriggerOptions): Promise<ITriggerResponse> {
	const node: INode = {
		id: 'trigger-1',
		name: 'Particle Event Trigger',
		type: `${PACKAGE_PREFIX}particleEventTrigger`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
	};
	const workflow = new Workflow({ id: 'bench-trigger', nodes: [node], connections: {}, active: false, nodeTypes: packageNodeTypes });
	const context = new TriggerContext(
		workflow,
		node,
		additionalDataFor(options.credentialsHelper),
		'trigger',
		'activate',
		(data) => options.onEmit(data[0] ?? []),
		(error) => {
			throw error;
		},
	);
	const body = options.streamBody;
	if (body) {
		// Only the transport's stream open goes through this helper in the event trigger; it asks for the full
		// response, to check the content type.
		context.helpers.httpRequestWithAuthentication = async (_credential: string, request: IHttpRequestOptions) => ({
			body: await body(request),
			headers: { 'content-type': 'text/event-stream' },
			statusCode: 200,
		});
	}
	const nodeType = packageNodeTypes.getByNameAndVersion(node.type);
	if (!nodeType.trigger) throw new Error('the event trigger has no trigger()');
	return (await nodeType.trigger.call(context)) ?? {};
}
