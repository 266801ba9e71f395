import { listOperation } from '../kit';
import { ownerPath } from '../organization/fields';
import { agreementIdField, agreementOwnerFields, readAgreementId } from './fields';

// "Get notifications for current usage period" documents no paging: one answer.
export const { description, execute } = listOperation({
	resource: 'serviceAgreement',
	operation: 'getNotifications',
	fields: [...agreementOwnerFields(), agreementIdField()],
	what: 'notification list',
	source(itemIndex) {
		return { path: ownerPath.call(this, itemIndex, 'service_agreements', readAgreementId.call(this, itemIndex), 'notifications'), itemsKey: 'data' };
	},
});
