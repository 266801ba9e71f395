import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { RateLimitGate } from '../../shared/transport';

/** What every operation gets besides its item index: state shared by the whole item loop. */
export interface OperationContext {
	gate: RateLimitGate;
}

export type OperationResult = IDataObject | IDataObject[];

export interface ParticleOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult>;
}

/** The resource -> operation map the router dispatches on; adding an operation here makes it reachable. */
export interface ParticleNodeMap {
	device: 'get' | 'getAll';
}

export type ParticleResource = keyof ParticleNodeMap;

export type ParticleOperations = {
	[Resource in ParticleResource]: Record<ParticleNodeMap[Resource], ParticleOperation>;
};
