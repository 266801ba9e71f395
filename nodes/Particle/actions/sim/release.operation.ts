import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { simPath, simTargetFields } from './fields';
import { sentIccid, serviceNotice } from './lifecycle';

export const description = fieldsFor('sim', 'release', [
	serviceNotice(
		'This stops the device’s cellular service and removes the SIM from the account or product: Particle deactivates it, and it can then be claimed by another account or imported into another product.',
	),
	...simTargetFields(),
]);

/** "Release SIM from account": DELETE /v1/[products/:p/]sims/:iccid; 204, or 202 while pending. Never sent twice. */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const answer = await client.send<IDataObject>('DELETE', simPath.call(this, itemIndex, true));
	return { iccid: sentIccid.call(this, itemIndex), action: 'release', ...answer };
}
