/** Where the agreement lives (my account or an organization), and its ID. */
import type { INodeProperties } from 'n8n-workflow';

import { organizationField, ownerField } from '../organization/fields';

export function agreementOwnerFields(operation: string, withAgreement: boolean): INodeProperties[] {
	const show = { resource: ['serviceAgreement'], operation: [operation] };
	return [
		ownerField(show, 'user'),
		organizationField({ ...show, owner: ['organization'] }),
		...(withAgreement
			? [
					{
						displayName: 'Service Agreement ID',
						name: 'agreementId',
						type: 'string' as const,
						required: true,
						default: '',
						description: 'From Service Agreement > Get Many',
						displayOptions: { show },
					},
				]
			: []),
	];
}
