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
import * as event from './actions/event/Event.resource';
import * as particleFunction from './actions/function/Function.resource';
import * as integration from './actions/integration/Integration.resource';
import * as organization from './actions/organization/Organization.resource';
import * as product from './actions/product/Product.resource';
import * as serviceAgreement from './actions/serviceAgreement/ServiceAgreement.resource';
import * as sim from './actions/sim/Sim.resource';
import * as variable from './actions/variable/Variable.resource';
import * as vitals from './actions/vitals/Vitals.resource';
import { searchFunctions, searchVariables } from './methods/deviceMembers';
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
					{ name: 'Event', value: 'event' },
					{ name: 'Function', value: 'function' },
					{ name: 'Integration', value: 'integration' },
					{ name: 'Organization', value: 'organization' },
					{ name: 'Product', value: 'product' },
					{ name: 'Service Agreement', value: 'serviceAgreement' },
					{ name: 'SIM', value: 'sim' },
					{ name: 'Variable', value: 'variable' },
					// eslint-disable-next-line n8n-nodes-base/node-param-resource-with-plural-option -- Particle's feature is "Device Vitals"; "Vital" is not a word its users look for
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
			...itemProcessingFields,
		],
	};

	methods = {
		listSearch: { searchDevices, searchFunctions, searchOrganizations, searchProducts, searchVariables },
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
