/** Every operation of the node, by resource: what the router can dispatch to. */
import { customApiCallOperations } from './customApiCall/CustomApiCall.resource';
import { deviceOperations } from './device/Device.resource';
import { eventOperations } from './event/Event.resource';
import { functionOperations } from './function/Function.resource';
import { customerOperations } from './customer/Customer.resource';
import type { ParticleOperations } from './types';
import { variableOperations } from './variable/Variable.resource';
import { vitalsOperations } from './vitals/Vitals.resource';

export const operations: ParticleOperations = {
	device: deviceOperations,
	variable: variableOperations,
	function: functionOperations,
	event: eventOperations,
	customApiCall: customApiCallOperations,
	customer: customerOperations,
	vitals: vitalsOperations,
};
