import { readDeviceScope } from '../common';
import { listOperation, productFilters, readFilters } from '../kit';
import { simPath, simTargetFields } from './fields';

export const { description, execute } = listOperation({
	resource: 'sim',
	operation: 'getAll',
	fields: simTargetFields(false),
	fieldsAfter: [
		productFilters('Filters the product SIMs on the Particle side', [
			{ displayName: 'Device ID Contains', name: 'deviceId', type: 'string', default: '' },
			{ displayName: 'Device Name Contains', name: 'deviceName', type: 'string', default: '' },
			{ displayName: 'ICCID Contains', name: 'iccid', type: 'string', default: '' },
		]),
	],
	what: 'SIM list',
	source(itemIndex) {
		const path = simPath.call(this, itemIndex, false);
		// The sandbox list comes in one answer, without pages or filters.
		if (readDeviceScope.call(this, itemIndex).kind !== 'product') return { path, itemsKey: 'sims' };
		// "List SIM cards" documents the page size as `perPage`.
		return { path, query: readFilters.call(this, itemIndex), itemsKey: 'sims', paged: { pageSizeParameter: 'perPage' } };
	},
});
