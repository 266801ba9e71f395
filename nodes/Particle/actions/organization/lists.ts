/** Get Products and Get Team Members: a list of the organization's, `/v1/orgs/:org/<list>`, one alike the other. */
import { listOperation } from '../kit';
import type { ParticleOperation } from '../types';
import { organizationField, organizationPath, readOrganization } from './fields';

/** Particle's reference documents no paging for either list: each comes in one answer, and Limit cuts it. */
export function organizationList(operation: 'getProducts' | 'getTeamMembers', list: 'products' | 'team', what: string): ParticleOperation {
	return listOperation({
		resource: 'organization',
		operation,
		fields: [organizationField({})],
		what,
		source(itemIndex) {
			return { path: organizationPath(readOrganization.call(this, itemIndex), list), itemsKey: list };
		},
	});
}
