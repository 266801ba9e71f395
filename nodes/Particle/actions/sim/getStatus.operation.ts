import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';

/** At most this many reads per item, each wait between these bounds: a pending task cannot hold the run. */
const MAX_READS = 6;
const MIN_WAIT_MS = 500;
const MAX_WAIT_MS = 10_000;

export const description = fieldsFor('sim', 'getStatus', [
	...simTargetFields(),
	{
		displayName: 'Wait for Result',
		name: 'waitForResult',
		type: 'boolean',
		default: true,
		description: `Whether to read again until Particle's check is complete (it answers "pending" first), waiting as long as Particle asks, at most ${MAX_READS} reads`,
	},
]);

interface StatusAnswer extends IDataObject {
	meta?: { state?: unknown; check_again_after?: unknown };
}

/**
 * "Get cellular network status": GET /v1/[products/:p/]sims/:iccid/status answers 202 with `meta.state` pending or
 * complete and `sim_status`; the reference's advice is to ask again after `meta.check_again_after`.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const path = simPath.call(this, itemIndex, true, 'status');
	const wait = this.getNodeParameter('waitForResult', itemIndex, true) as boolean;
	let answer = await client.get<StatusAnswer>(path);
	for (let reads = 1; wait && answer.meta?.state === 'pending' && reads < MAX_READS; reads++) {
		const after = Date.parse(String(answer.meta.check_again_after ?? ''));
		const ms = Number.isNaN(after) ? MIN_WAIT_MS : after - Date.now();
		await sleep(Math.min(Math.max(ms, MIN_WAIT_MS), MAX_WAIT_MS));
		answer = await client.get<StatusAnswer>(path);
	}
	return answer;
}
