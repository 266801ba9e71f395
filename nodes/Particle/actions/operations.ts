/** Every operation of the node, by resource: what the router can dispatch to; and the canvas subtitle that names them. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { customApiCallOperations } from './customApiCall/CustomApiCall.resource';
import { deviceOperations } from './device/Device.resource';
import { deviceGroupOperations } from './deviceGroup/DeviceGroup.resource';
import { eventOperations } from './event/Event.resource';
import { functionOperations } from './function/Function.resource';
import { integrationOperations } from './integration/Integration.resource';
import { apiUserOperations } from './apiUser/ApiUser.resource';
import { customerOperations } from './customer/Customer.resource';
import { organizationOperations } from './organization/Organization.resource';
import { productOperations } from './product/Product.resource';
import { productFirmwareOperations } from './productFirmware/ProductFirmware.resource';
import { serviceAgreementOperations } from './serviceAgreement/ServiceAgreement.resource';
import { simOperations } from './sim/Sim.resource';
import { deviceOsOperations } from './deviceOs/DeviceOs.resource';
import { fleetHealthOperations } from './fleetHealth/FleetHealth.resource';
import { ledgerOperations } from './ledger/Ledger.resource';
import { locationOperations } from './location/Location.resource';
import type { ParticleOperations } from './types';
import { variableOperations } from './variable/Variable.resource';
import { vitalsOperations } from './vitals/Vitals.resource';

export const operations: ParticleOperations = {
	device: deviceOperations,
	variable: variableOperations,
	function: functionOperations,
	integration: integrationOperations,
	event: eventOperations,
	customApiCall: customApiCallOperations,
	product: productOperations,
	organization: organizationOperations,
	customer: customerOperations,
	vitals: vitalsOperations,
	serviceAgreement: serviceAgreementOperations,
	apiUser: apiUserOperations,
	sim: simOperations,
	ledger: ledgerOperations,
	fleetHealth: fleetHealthOperations,
	deviceOs: deviceOsOperations,
	location: locationOperations,
	productFirmware: productFirmwareOperations,
	deviceGroup: deviceGroupOperations,
};

const optionsOf = (property: INodeProperties | undefined): INodePropertyOptions[] =>
	Array.isArray(property?.options) ? (property.options as INodePropertyOptions[]) : [];

/**
 * The node's subtitle on the canvas, in display names ("Get Many: Device"), as an n8n expression. n8n shows the stored
 * values when the subtitle is built from them ("getAll: device"), and its own fallback looks up only the first
 * Operation list. The names are one flat map keyed "resource/operation": a nested object literal would put "}}" inside
 * the expression, which ends it. An unknown pair shows its values.
 */
export function displayNameSubtitle(properties: INodeProperties[]): string {
	const resourceNames = new Map(optionsOf(properties.find((property) => property.name === 'resource')).map((option) => [String(option.value), option.name]));
	const names: Record<string, string> = {};
	for (const property of properties) {
		if (property.name !== 'operation') continue;
		for (const resource of (property.displayOptions?.show?.resource ?? []) as string[]) {
			const resourceName = (resourceNames.get(resource) ?? resource).replace(/ \(Old\)$/, '');
			for (const option of optionsOf(property)) names[`${resource}/${String(option.value)}`] = `${option.name}: ${resourceName}`;
		}
	}
	const map = JSON.stringify(names);
	return `={{ (${map})[$parameter["resource"] + "/" + $parameter["operation"]] || $parameter["operation"] + ": " + $parameter["resource"] }}`;
}
