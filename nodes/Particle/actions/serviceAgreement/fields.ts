/** Service agreements belong to the account of the token (sandbox) or to an organization. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { segment } from '../../../shared/paths';
import { ownerFields } from '../organization/fields';

export function agreementOwnerFields(operation: string): INodeProperties[] {
	return ownerFields({ resource: ['serviceAgreement'], operation: [operation] }, ['user', 'organization']);
}

export function agreementIdField(operation: string): INodeProperties {
	return {
		displayName: 'Service Agreement ID',
		name: 'agreementId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1001',
		description: 'The "ID" of an item from Service Agreement > Get Many',
		displayOptions: { show: { resource: ['serviceAgreement'], operation: [operation] } },
	};
}

/** The agreement ID as one path segment. */
export function readAgreementId(this: IExecuteFunctions, itemIndex: number): string {
	return segment(String(this.getNodeParameter('agreementId', itemIndex, '', { ensureType: 'string' })), 'Service Agreement ID');
}
