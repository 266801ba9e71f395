/** Service agreements belong to the account of the token (sandbox) or to an organization. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { ownerFields } from '../organization/fields';

export function agreementOwnerFields(): INodeProperties[] {
	return ownerFields({}, ['user', 'organization']);
}

export function agreementIdField(): INodeProperties {
	return {
		displayName: 'Service Agreement ID',
		name: 'agreementId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1001',
		description: 'The "ID" of an item from Service Agreement > Get Many',
	};
}

/** The agreement ID as one path segment. */
export function readAgreementId(this: IExecuteFunctions, itemIndex: number): string {
	return segment(String(this.getNodeParameter('agreementId', itemIndex, '', { ensureType: 'string' })), 'Service Agreement ID');
}
