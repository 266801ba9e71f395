/** Every operation of the node, by resource: what the router can dispatch to. */
import { customApiCallOperations } from './customApiCall/CustomApiCall.resource';
import { deviceOperations } from './device/Device.resource';
import { eventOperations } from './event/Event.resource';
import { functionOperations } from './function/Function.resource';
import { integrationOperations } from './integration/Integration.resource';
import { apiUserOperations } from './apiUser/ApiUser.resource';
import { customerOperations } from './customer/Customer.resource';
import { organizationOperations } from './organization/Organization.resource';
import { productOperations } from './product/Product.resource';
import { serviceAgreementOperations } from './serviceAgreement/ServiceAgreement.resource';
import { simOperations } from './sim/Sim.resource';
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
};
