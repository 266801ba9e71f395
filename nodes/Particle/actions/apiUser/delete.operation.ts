import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { request } from '../../../shared/transport';
import { ownerPath } from '../organization/fields';
import type { OperationContext, OperationResult } from '../types';
import { teamFields, usernameField } from './fields';

export const description: INodeProperties[] = [...teamFields('delete'), usernameField('delete')];

export async function execute(this: IExecuteFunctions, itemIndex: number, { gate }: OperationContext): Promise<OperationResult> {
	const username = String(this.getNodeParameter('username', itemIndex)).trim();
	const response = await request(this, {
		method: 'DELETE',
		path: ownerPath.call(this, itemIndex, 'team', segment(username, 'Username')),
		itemIndex,
		gate,
	});
	return { ...response, username, deleted: true };
}
