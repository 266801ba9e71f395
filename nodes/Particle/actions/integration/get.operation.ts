import { getOperation } from '../kit';
import { integrationIdField, integrationOwnerFields, readIntegrationPath } from './fields';
import { hideVerificationHeader } from './shared';

// "Get integration" answers { integration: {...} }, with the last requests it sent in `logs`.
export const { description, execute } = getOperation({
	resource: 'integration',
	operation: 'get',
	fields: [...integrationOwnerFields(), integrationIdField()],
	path(itemIndex) {
		return readIntegrationPath.call(this, itemIndex).path;
	},
	unwrap: 'integration',
	shape: (integration) => hideVerificationHeader(integration),
});
