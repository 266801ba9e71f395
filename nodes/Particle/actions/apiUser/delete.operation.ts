import type { IExecuteFunctions } from 'n8n-workflow';

import { fieldsFor } from '../kit';
import type { OperationContext, OperationResult } from '../types';
import { apiUserPath, readUsername, teamFields, usernameField } from './fields';

export const description = fieldsFor('apiUser', 'delete', [...teamFields(), usernameField()]);

export async function execute(this: IExecuteFunctions, itemIndex: number, { client }: OperationContext): Promise<OperationResult> {
	const username = readUsername.call(this, itemIndex);
	// Particle's answer body is not documented (204 or { ok: true }): the output says what happened instead.
	await client.send('DELETE', apiUserPath.call(this, itemIndex, username));
	return { deleted: true, username };
}
