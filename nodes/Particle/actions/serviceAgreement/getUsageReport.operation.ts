import { segment } from '../../../shared/paths';
import { getOperation } from '../kit';
import { ownerPath } from '../organization/fields';
import { agreementOwnerFields } from './fields';

export const { description, execute } = getOperation({
	resource: 'serviceAgreement',
	operation: 'getUsageReport',
	fields: [
		...agreementOwnerFields(),
		{
			displayName: 'Usage Report ID',
			name: 'reportId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 1',
			description:
				'The "ID" of the item from Create Usage Report. Its state is "pending" until Particle has built it; then "available", with a download URL.',
		},
	],
	path(itemIndex) {
		const report = segment(String(this.getNodeParameter('reportId', itemIndex, '', { ensureType: 'string' })), 'Usage Report ID');
		// Reports hang off the owner, not the agreement: /v1/user/usage_reports/:id or /v1/orgs/:org/usage_reports/:id.
		return ownerPath.call(this, itemIndex, 'usage_reports', report);
	},
	unwrap: 'data',
});
