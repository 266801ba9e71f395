import { v1Path } from '../../../shared/paths';
import { listOperation } from '../kit';
import { platformField, platformQuery } from './fields';

/**
 * GET /v1/device-os/versions with `platform_id`, paged (`page`, `per_page`): particle-api-js's listDeviceOsVersions;
 * the Cloud API reference has no entry for it (unconfirmed beyond particle-api-js and Particle's docs tooling).
 */
export const { description, execute } = listOperation({
	resource: 'deviceOs',
	operation: 'getAll',
	fields: [platformField('Only the versions that support this platform')],
	what: 'Device OS version list',
	source(itemIndex) {
		return { path: v1Path('device-os', 'versions'), query: platformQuery.call(this, itemIndex), itemsKey: 'versions', paged: { pageSizeParameter: 'per_page' } };
	},
});
