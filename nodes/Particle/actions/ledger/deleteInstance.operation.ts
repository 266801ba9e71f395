import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { instanceFields, instancePath, ledgerNameField, ledgerOwnerFields } from './fields';

export const description = fieldsFor('ledger', 'deleteInstance', [...ledgerOwnerFields, ledgerNameField, ...instanceFields]);

/** "Delete ledger instance": DELETE, 204. The item says what was deleted; a delete is never sent twice. */
export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const path = await instancePath.call(this, itemIndex, client);
	await client.send('DELETE', path);
	const scopeValue = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
	return { deleted: true, ledgerName: String(this.getNodeParameter('ledgerName', itemIndex, '')).trim(), scopeValue };
}
