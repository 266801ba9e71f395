import { listOperation } from '../kit';
import { ownerPath } from '../organization/fields';
import { agreementOwnerFields } from './fields';

// "Get user/organization service agreements" document no paging: one answer.
export const { description, execute } = listOperation({
	resource: 'serviceAgreement',
	operation: 'getAll',
	fields: agreementOwnerFields(),
	what: 'service agreement list',
	source(itemIndex) {
		return { path: ownerPath.call(this, itemIndex, 'service_agreements'), itemsKey: 'data' };
	},
});
