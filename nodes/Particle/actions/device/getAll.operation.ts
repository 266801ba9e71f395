import { devicesPath } from '../../../shared/paths';
import { groupsFilterField } from '../../methods/groups';
import { deviceScopeField, productField, readDeviceScope, simplifyField } from '../common';
import { listOperation, productFilters, readFilters } from '../kit';
import { shapeDevice } from './simplify';

export const { description, execute } = listOperation({
	resource: 'device',
	operation: 'getAll',
	fields: [deviceScopeField(), productField({ deviceScope: ['product'] })],
	fieldsAfter: [
		productFilters('Filters the product fleet on the Particle side', [
			{ displayName: 'Device ID Contains', name: 'deviceId', type: 'string', default: '' },
			{ displayName: 'Device Name Contains', name: 'deviceName', type: 'string', default: '' },
			groupsFilterField('Devices in any of these groups are returned'),
			{
				displayName: 'Quarantined Only',
				name: 'quarantined',
				type: 'boolean',
				default: false,
				description: 'Whether to return only devices waiting in quarantine',
			},
			{ displayName: 'Serial Number Contains', name: 'serialNumber', type: 'string', default: '' },
			{
				displayName: 'Sort By',
				name: 'sortAttr',
				type: 'options',
				default: 'lastConnection',
				options: [
					{ name: 'Device ID', value: 'deviceId' },
					{ name: 'Device Name', value: 'deviceName' },
					{ name: 'Firmware Version', value: 'firmwareVersion' },
					{ name: 'Last Connection', value: 'lastConnection' },
				],
			},
			{
				displayName: 'Sort Direction',
				name: 'sortDir',
				type: 'options',
				default: 'desc',
				options: [
					{ name: 'Ascending', value: 'asc' },
					{ name: 'Descending', value: 'desc' },
				],
			},
		]),
		simplifyField({}, 'device'),
	],
	what: 'device list',
	source(itemIndex) {
		const scope = readDeviceScope.call(this, itemIndex);
		// The sandbox list is one unpaged array.
		if (scope.kind === 'sandbox') return { path: devicesPath(scope) };
		// "List devices in a product" documents the page size as `perPage`.
		return { path: devicesPath(scope), query: readFilters.call(this, itemIndex), itemsKey: 'devices', paged: { pageSizeParameter: 'perPage' } };
	},
	shape(devices, itemIndex) {
		const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
		return devices.map((device) => shapeDevice(device, simplify));
	},
});
