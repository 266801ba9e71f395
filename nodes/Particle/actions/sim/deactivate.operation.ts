import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';
import { sentIccid, serviceNotice } from './lifecycle';

export const description = fieldsFor('sim', 'deactivate', [
	serviceNotice('This stops the device’s cellular service: it can no longer connect to a cell tower, or to Particle, until the SIM is reactivated.'),
	...simTargetFields(),
]);

/**
 * "Deactivate SIM": PUT /v1/[products/:p/]sims/:iccid with `action=deactivate`; 200 (the reference shows no body).
 * Never sent twice: a write is not retried after a 5xx, a 408 or a reset.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const answer = await client.send<IDataObject>('PUT', simPath.call(this, itemIndex, true), { body: { action: 'deactivate' } });
	return { iccid: sentIccid.call(this, itemIndex), action: 'deactivate', ...answer };
}
