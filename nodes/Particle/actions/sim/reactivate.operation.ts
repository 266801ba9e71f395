import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';
import { sentIccid, serviceNotice } from './lifecycle';

export const description = fieldsFor('sim', 'reactivate', [
	serviceNotice('This gives a deactivated SIM its cellular service back; the SIM is billed again.'),
	...simTargetFields(),
]);

/** "Reactivate SIM": PUT /v1/[products/:p/]sims/:iccid with `action=reactivate`; 200. */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const answer = await client.send<IDataObject>('PUT', simPath.call(this, itemIndex, true), { body: { action: 'reactivate' } });
	return { iccid: sentIccid.call(this, itemIndex), action: 'reactivate', ...answer };
}
