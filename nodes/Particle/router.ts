/**
 * The item loop: picks the operation once, runs it for every input item, pairs each output with its input, and turns
 * a failure into an error item for that input alone when Continue On Fail is on.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { PathSegmentError } from '../shared/paths';
import { RateLimitGate } from '../shared/transport';
import { deviceOperations } from './actions/device/Device.resource';
import type { ParticleOperation, ParticleOperations, ParticleResource } from './actions/types';

const operations: ParticleOperations = {
	device: deviceOperations,
};

function findOperation(context: IExecuteFunctions, resource: string, operation: string): ParticleOperation {
	const byOperation = operations[resource as ParticleResource] as Record<string, ParticleOperation> | undefined;
	const found = byOperation?.[operation];
	if (!found) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return found;
}

/** Errors from pure modules become n8n errors that point at the item. */
function asNodeError(context: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof PathSegmentError) {
		return new NodeOperationError(context.getNode(), error.message, {
			itemIndex,
			description: 'Nothing was sent to Particle.',
		});
	}
	if (error instanceof Error && 'node' in error) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = findOperation(this, resource, operation);
	const context = { gate: new RateLimitGate() };

	const returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await run.execute.call(this, itemIndex, context);
			returnData.push(
				...this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
					itemData: { item: itemIndex },
				}),
			);
		} catch (caught) {
			const error = asNodeError(this, caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			const description = (error as { description?: unknown }).description;
			returnData.push({
				json: { error: error.message, ...(typeof description === 'string' ? { description } : {}) },
				pairedItem: { item: itemIndex },
			});
		}
	}
	return [returnData];
}
