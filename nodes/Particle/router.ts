/**
 * The item loop: picks the operation once, runs it for every input item (at most N at a time), pairs each output
 * with its input in input order, and turns a failure into an error item for that input alone when Continue On Fail
 * is on. One rate-limit gate is shared by every request of the run.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { particleClient } from '../shared/client';
import { PathSegmentError } from '../shared/paths';
import { RateLimitGate } from '../shared/transport';
import { readConcurrency } from './actions/common';
import { isHttpRequestCall } from './actions/customApiCall/httpRequestCall';
import { operations } from './actions/operations';
import {
	OperationItems,
	type ItemResult,
	type OperationContext,
	type OperationResult,
	type ParticleOperation,
	type ParticleResource,
} from './actions/types';

function findOperation(context: IExecuteFunctions, resource: string, operation: string): ParticleOperation {
	if (isHttpRequestCall(resource, operation)) {
		throw new NodeOperationError(context.getNode(), 'Custom API Call is made with n8n\'s HTTP Request node, not this node', {
			description:
				'Add an HTTP Request node, set Authentication to "Predefined Credential Type" and Credential Type to "Particle API", and enter the full URL (the credential\'s Base URL, e.g. https://api.particle.io, then /v1/...). Nothing was sent to Particle.',
		});
	}
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

/**
 * The error item's JSON: Particle's words, what to do, the HTTP status. n8n sends an item down the error output
 * ("Continue (using error output)") only when its JSON has no keys but error, message and details, so there the rest
 * goes under `details`. (Setting the item's `error` instead would make n8n replace the JSON with the message alone.)
 */
function errorItemJson(error: Error, toErrorOutput: boolean): IDataObject {
	const { description, httpCode } = error as { description?: unknown; httpCode?: unknown };
	const details: IDataObject = {
		...(typeof description === 'string' ? { description } : {}),
		...(typeof httpCode === 'string' && httpCode !== '' ? { httpCode } : {}),
	};
	return toErrorOutput ? { error: error.message, details } : { error: error.message, ...details };
}

/**
 * What must not run beside itself: the item's device as given (mode and value), or for Event > Publish the event name.
 * Undefined (no lane) for operations on neither, or when the parameter cannot be read here (the operation reports it).
 */
function laneOf(context: IExecuteFunctions, resource: string, itemIndex: number): string | undefined {
	const name = resource === 'event' ? 'eventName' : 'device';
	let value: unknown;
	try {
		value = context.getNodeParameter(name, itemIndex, undefined);
	} catch {
		return undefined;
	}
	if (typeof value === 'object' && value !== null && 'value' in value) {
		const locator = value as { mode?: unknown; value?: unknown };
		value = `${String(locator.mode)}:${String(locator.value)}`;
	}
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	return `${name}:${value.trim().toLowerCase()}`;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const toErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const itemCount = this.getInputData().length;
	const resource = this.getNodeParameter('resource', 0) as string;
	// n8n's Custom API Call picked as the resource leaves no operation.
	const operation = this.getNodeParameter('operation', 0, '') as string;
	const run = findOperation(this, resource, operation);
	const gate = new RateLimitGate();
	const concurrency = Math.min(readConcurrency.call(this), run.maxConcurrency?.call(this) ?? Infinity, Math.max(itemCount, 1));

	const outputs: INodeExecutionData[][] = new Array(itemCount);
	const results: ItemResult[] = [];
	let nextItem = 0;
	let stopError: Error | undefined;

	const pair = (itemIndex: number, result: OperationResult): INodeExecutionData[] =>
		result instanceof OperationItems
			? result.items.map((item) => ({ ...item, pairedItem: { item: itemIndex } }))
			: this.helpers.constructExecutionMetaData(this.helpers.returnJsonArray(result), {
					itemData: { item: itemIndex },
				});

	// Items for the same device (or the same event name) run one after the other, in input order, whatever the
	// concurrency: "on, then off" to one device must reach it in that order. Different devices run side by side.
	const lanes = new Map<string, Promise<void>>();
	const runInLane = async (itemIndex: number): Promise<void> => {
		const lane = laneOf(this, resource, itemIndex);
		if (lane === undefined) return await runItem(itemIndex);
		const before = lanes.get(lane);
		let release = (): void => {};
		const mine = new Promise<void>((resolve) => (release = resolve));
		lanes.set(lane, mine);
		try {
			await before;
			if (stopError === undefined) await runItem(itemIndex);
		} finally {
			release();
			if (lanes.get(lane) === mine) lanes.delete(lane);
		}
	};

	const runItem = async (itemIndex: number): Promise<void> => {
		try {
			const context: OperationContext = { client: particleClient(this, { itemIndex, gate }) };
			const result = await run.execute.call(this, itemIndex, context);
			results.push({ itemIndex, result });
			outputs[itemIndex] = pair(itemIndex, result);
		} catch (caught) {
			const error = asNodeError(this, caught, itemIndex);
			if (!this.continueOnFail()) {
				stopError ??= error;
				return;
			}
			outputs[itemIndex] = [{ json: errorItemJson(error, toErrorOutput), pairedItem: { item: itemIndex } }];
		}
	};

	// N workers take the next item in input order; after a failure (without Continue On Fail) no new item starts.
	const worker = async (): Promise<void> => {
		while (stopError === undefined && nextItem < itemCount) {
			await runInLane(nextItem++);
		}
	};
	// The first item goes alone: the run learns its token (one exchange for a product OAuth client, not one per item
	// in flight) and whether Particle accepts it, and a bad token or a 429 costs one request, not N.
	if (itemCount > 0) await runInLane(nextItem++);
	await Promise.all(Array.from({ length: concurrency }, worker));
	if (stopError) throw stopError;

	if (run.combine && results.length > 0) {
		const combined = await run.combine.call(
			this,
			results.sort((a, b) => a.itemIndex - b.itemIndex),
		);
		if (combined) {
			// Error items (Continue On Fail) stay; the successful ones are replaced by the combined output.
			const succeeded = new Set(results.map((entry) => entry.itemIndex));
			const errorItems = outputs.filter((_, itemIndex) => !succeeded.has(itemIndex)).flat();
			return [[...combined, ...errorItems]];
		}
	}
	return [outputs.flat()];
}
