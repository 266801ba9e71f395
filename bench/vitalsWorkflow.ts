/**
 * For P4: a chain of nodes (n8n's own HTTP Request -> Split Out -> Convert to File, or the Particle node alone) run
 * as one manual execution through n8n-core's WorkflowExecute, with n8n's binary data on disk as a default n8n keeps
 * it. bench/engine.ts runs one node; this runs a chain, and leaves engine.ts as it is.
 */
import './env';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService, WorkflowExecute } from 'n8n-core';
import type { IConnections, IDataObject, INode, INodeExecutionData, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import type { TestCredentialsHelper } from '../test/harness/credentials';
import { additionalDataFor, manualRunHooks } from '../test/harness/engine';
import { findNodesBase } from './p1Throughput';

let storage: string | undefined;

/** n8n's binary data service with its filesystem store, as `n8n start` sets it up (once per process). */
export async function useFilesystemBinaryData(): Promise<string> {
	if (storage !== undefined) return storage;
	storage = mkdtempSync(join(tmpdir(), 'particle-bench-binary-'));
	process.env.N8N_BINARY_DATA_STORAGE_PATH = storage;
	await Container.get(BinaryDataService).init();
	return storage;
}

/** A node class of n8n-nodes-base from the demo's n8n install, loaded from its own folder (its own dependencies). */
export function loadNodesBaseType(relativePath: string, className: string): INodeType | IVersionedNodeType | undefined {
	const dir = findNodesBase();
	if (dir === undefined) return undefined;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const loaded = require(join(dir, 'dist', 'nodes', relativePath)) as Record<string, new () => INodeType | IVersionedNodeType>;
	return new loaded[className]();
}

/** Runs `nodes` as a chain (each feeding the next) once, with `items` into the first; the last node's output. */
export async function executeChain(
	nodes: INode[],
	nodeTypes: INodeTypes,
	items: IDataObject[],
	credentialsHelper: TestCredentialsHelper,
): Promise<INodeExecutionData[]> {
	const connections: IConnections = {};
	for (let index = 0; index + 1 < nodes.length; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	const workflow = new Workflow({ id: 'bench-chain', nodes, connections, active: false, nodeTypes });
	const [first] = nodes;
	const runData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: first, data: { main: [items.map((json) => ({ json }))] }, source: null }] },
	});
	const additionalData = additionalDataFor(credentialsHelper);
	additionalData.hooks = manualRunHooks(workflow, first, 'bench-chain-execution');
	const run = await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const last = nodes[nodes.length - 1];
	const task = run.data.resultData.runData[last.name]?.[0];
	const error = run.data.resultData.error ?? task?.error;
	if (run.status === 'error' || error) throw new Error(`${last.name} failed: ${error?.message ?? run.status}`);
	return task?.data?.main?.[0] ?? [];
}
