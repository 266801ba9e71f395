import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as apiUser from './actions/apiUser/ApiUser.resource';
import { itemProcessingField } from './actions/common';
import * as customer from './actions/customer/Customer.resource';
import * as customApiCall from './actions/customApiCall/CustomApiCall.resource';
import * as device from './actions/device/Device.resource';
import * as event from './actions/event/Event.resource';
import * as particleFunction from './actions/function/Function.resource';
import * as integration from './actions/integration/Integration.resource';
import * as organization from './actions/organization/Organization.resource';
import * as product from './actions/product/Product.resource';
import * as serviceAgreement from './actions/serviceAgreement/ServiceAgreement.resource';
import * as sim from './actions/sim/Sim.resource';
import * as variable from './actions/variable/Variable.resource';
import * as vitals from './actions/vitals/Vitals.resource';
import { searchDevices, searchOrganizations, searchProducts } from './methods/listSearch';
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
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'device',
				options: [
					{ name: 'API User', value: 'apiUser' },
					{ name: 'Custom API Call', value: 'customApiCall' },
					{ name: 'Customer', value: 'customer' },
					{ name: 'Device', value: 'device' },
					{ name: 'Event', value: 'event' },
					{ name: 'Function', value: 'function' },
					{ name: 'Integration', value: 'integration' },
					{ name: 'Organization', value: 'organization' },
					{ name: 'Product', value: 'product' },
					{ name: 'Service Agreement', value: 'serviceAgreement' },
					{ name: 'SIM', value: 'sim' },
					{ name: 'Variable', value: 'variable' },
					{ name: 'Vitals', value: 'vitals' },
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
			itemProcessingField,
		],
	};

	methods = {
		listSearch: { searchDevices, searchOrganizations, searchProducts },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
