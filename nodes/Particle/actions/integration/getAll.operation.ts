import { listOperation } from '../kit';
import { integrationOwnerFields, readIntegrationsPath } from './fields';
import { hideVerificationHeader } from './shared';

// Particle answers with one list, not in pages ("List integrations"): the limit is applied here.
export const { description, execute } = listOperation({
	resource: 'integration',
	operation: 'getAll',
	fields: integrationOwnerFields(),
	what: 'integration list',
	source(itemIndex) {
		return { path: readIntegrationsPath.call(this, itemIndex) };
	},
	shape: (integrations) => integrations.map((integration) => hideVerificationHeader(integration)),
});
