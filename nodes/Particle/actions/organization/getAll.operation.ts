import { v1Path } from '../../../shared/paths';
import { listOperation } from '../kit';

// Not in Particle's reference; answered in one list, as the product list is.
export const { description, execute } = listOperation({
	resource: 'organization',
	operation: 'getAll',
	what: 'organization list',
	source: () => ({ path: v1Path('orgs'), itemsKey: 'organizations' }),
});
