import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ParticleItemClient } from '../../shared/client';

/** What every operation gets besides its item index: the item's Particle client. */
export interface OperationContext {
	/** Sends this item's requests, with the item index and the run's rate-limit gate bound in it. */
	client: ParticleItemClient;
}

/** Items an operation builds itself (for example with a binary file); the router adds pairedItem. */
export class OperationItems {
	constructor(
		readonly items: Array<{ json: IDataObject; binary?: IBinaryKeyData }>,
		/** Data kept for the operation's `combine`, never output as such. */
		readonly combinable?: unknown,
	) {}
}

export type OperationResult = IDataObject | IDataObject[] | OperationItems;

export interface ItemResult {
	itemIndex: number;
	result: OperationResult;
}

export interface ParticleOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number, context: OperationContext): Promise<OperationResult>;
	/**
	 * For operations that can combine all input items into one output (for example one CSV file for every device):
	 * called after every item ran; returns the combined items with their pairing, or undefined to keep them apart.
	 */
	combine?(this: IExecuteFunctions, results: ItemResult[]): Promise<INodeExecutionData[] | undefined>;
	/** At most this many items at once whatever the Concurrency option says (memory-bound runs); undefined: no cap. */
	maxConcurrency?(this: IExecuteFunctions): number | undefined;
}

/** The resource -> operation map the router dispatches on; adding an operation here makes it reachable. */
export interface ParticleNodeMap {
	device:
		| 'addToProduct'
		| 'claim'
		| 'createClaimCode'
		| 'get'
		| 'getAll'
		| 'lockFirmware'
		| 'ping'
		| 'removeFromProduct'
		| 'rename'
		| 'setDevelopment'
		| 'setForceOta'
		| 'signal'
		| 'unclaim'
		| 'unlockFirmware'
		| 'updateNotes';
	variable: 'get';
	function: 'call';
	integration: 'create' | 'delete' | 'get' | 'getAll' | 'test';
	event: 'publish';
	customApiCall: 'send';
	product: 'get' | 'getAll' | 'getTeamMembers';
	organization: 'getAll' | 'getProducts' | 'getTeamMembers';
	customer: 'create' | 'createClaimCode' | 'createToken' | 'delete' | 'getAll' | 'updatePassword';
	vitals: 'getHistory' | 'getLast' | 'getMetadata' | 'refresh';
	serviceAgreement: 'createUsageReport' | 'getAll' | 'getNotifications' | 'getUsageReport';
	apiUser: 'create' | 'delete' | 'getAll' | 'update';
	sim: 'deactivate' | 'get' | 'getAll' | 'getDataUsage' | 'getStatus' | 'reactivate' | 'release';
	ledger: 'deleteInstance' | 'getAll' | 'getInstance' | 'setInstance';
	fleetHealth: 'getMetrics';
	deviceOs: 'get' | 'getAll';
	location: 'getFleet' | 'getHistory' | 'getLast';
	productFirmware: 'delete' | 'get' | 'getAll' | 'release' | 'upload';
	deviceGroup: 'assignDevices' | 'create' | 'delete' | 'get' | 'getAll' | 'getReleaseImpact' | 'removeDevices' | 'update';
}

export type ParticleResource = keyof ParticleNodeMap;

export type ParticleOperations = {
	[Resource in ParticleResource]: Record<ParticleNodeMap[Resource], ParticleOperation>;
};
