import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { readUsername, teamFields, usernameField, usernameSegment } from './fields';

export const description: INodeProperties[] = [...teamFields('delete'), usernameField('delete')];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	{ gate }: OperationContext,
): Promise<OperationResult> {
	const username = readUsername.call(this, itemIndex);
	// Particle's answer body is not documented (204 or { ok: true }): the output says what happened instead.
	await request(this, {
		method: 'DELETE',
		path: ownerPath.call(this, itemIndex, 'team', usernameSegment(username)),
		itemIndex,
		gate,
	});
	return { deleted: true, username };
}
