import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as apiUser from './actions/apiUser/ApiUser.resource';
import { itemProcessingFields } from './actions/common';
import * as customer from './actions/customer/Customer.resource';
import * as customApiCall from './actions/customApiCall/CustomApiCall.resource';
import { withHttpRequestCall } from './actions/customApiCall/httpRequestCall';
import * as device from './actions/device/Device.resource';
import * as deviceGroup from './actions/deviceGroup/DeviceGroup.resource';
import * as event from './actions/event/Event.resource';
import * as particleFunction from './actions/function/Function.resource';
import * as integration from './actions/integration/Integration.resource';
import * as organization from './actions/organization/Organization.resource';
import * as product from './actions/product/Product.resource';
import * as productFirmware from './actions/productFirmware/ProductFirmware.resource';
import * as serviceAgreement from './actions/serviceAgreement/ServiceAgreement.resource';
import * as sim from './actions/sim/Sim.resource';
import * as deviceOs from './actions/deviceOs/DeviceOs.resource';
import * as fleetHealth from './actions/fleetHealth/FleetHealth.resource';
import * as ledger from './actions/ledger/Ledger.resource';
import * as location from './actions/location/Location.resource';
import * as variable from './actions/variable/Variable.resource';
import * as vitals from './actions/vitals/Vitals.resource';
import { searchFunctions, searchVariables } from './methods/deviceMembers';
import { getGroups, searchGroups } from './methods/groups';
import { displayNameSubtitle } from './actions/operations';
import { searchDevices, searchOrganizations, searchProducts } from './methods/listSearch';
import { particleHints } from './hints';
import { router } from './router';

export class Particle implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Particle',
		name: 'particle',
		icon: { light: 'file:../../icons/particle.svg', dark: 'file:../../icons/particle.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Read, control and manage Particle IoT devices and fleets through the Particle Cloud API',
		defaults: { name: 'Particle' },
		// The node panel's docs link: n8n uses this as it is (a codex link gets a query appended after the anchor).
		documentationUrl: 'https://github.com/n8n-nodes-particle/n8n-nodes-particle/blob/main/README.md#particle-node',
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		hints: particleHints,
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'device',
				options: [
					{ name: 'API User', value: 'apiUser' },
					// The first releases' own Custom API Call: shown only to the nodes that use it (see httpRequestCall.ts).
					{ name: 'Custom API Call (Old)', value: 'customApiCall', displayOptions: { show: { resource: ['customApiCall'] } } },
					{ name: 'Customer', value: 'customer' },
					{ name: 'Device', value: 'device' },
					{ name: 'Device Group', value: 'deviceGroup' },
					/* eslint-disable n8n-nodes-base/node-param-resource-with-plural-option -- the rule flags the first name ending in "s": "Device OS" (Particle's operating system) and "Vitals" (Particle's "Device Vitals"; "Vital" is not a word its users look for) are not plurals */
					{ name: 'Device OS', value: 'deviceOs' },
					{ name: 'Event', value: 'event' },
					{ name: 'Fleet Health', value: 'fleetHealth' },
					{ name: 'Function', value: 'function' },
					{ name: 'Integration', value: 'integration' },
					{ name: 'Ledger', value: 'ledger' },
					{ name: 'Location', value: 'location' },
					{ name: 'Organization', value: 'organization' },
					{ name: 'Product', value: 'product' },
					{ name: 'Product Firmware', value: 'productFirmware' },
					{ name: 'Service Agreement', value: 'serviceAgreement' },
					{ name: 'SIM', value: 'sim' },
					{ name: 'Variable', value: 'variable' },
					{ name: 'Vitals', value: 'vitals' },
					/* eslint-enable n8n-nodes-base/node-param-resource-with-plural-option */
				],
			},
			...device.description,
			...variable.description,
			...particleFunction.description,
			...integration.description,
			...event.description,
			...customApiCall.description,
			...product.description,
			...organization.description,
			...customer.description,
			...vitals.description,
			...serviceAgreement.description,
			...apiUser.description,
			...sim.description,
			...ledger.description,
			...fleetHealth.description,
			...deviceOs.description,
			...location.description,
			...productFirmware.description,
			...deviceGroup.description,
			...itemProcessingFields,
		],
	};

	methods = {
		listSearch: { searchDevices, searchFunctions, searchGroups, searchOrganizations, searchProducts, searchVariables },
		loadOptions: { getGroups },
	};

	constructor() {
		// Completed here so the literal above stays what n8n's lint reads: n8n's Custom API Call, then display names.
		const properties = withHttpRequestCall(this.description.properties);
		this.description = { ...this.description, properties, subtitle: displayNameSubtitle(properties) };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
