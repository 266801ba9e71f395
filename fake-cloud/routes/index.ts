// Reference: Cloud API (the route table of every section the route modules name)
/** Every route, in matching order (literal paths before parameterised ones of the same shape). */
import type { Route } from '../router';
import { authRoutes } from './auth';
import { claimRoutes } from './claims';
import { customerRoutes } from './customers';
import { deviceCallRoutes } from './deviceCalls';
import { deviceOsRoutes } from './deviceOs';
import { deviceRoutes } from './devices';
import { eventRoutes } from './events';
import { firmwareRoutes } from './firmware';
import { groupRoutes } from './groups';
import { integrationRoutes } from './integrations';
import { ledgerRoutes } from './ledger';
import { locationRoutes } from './locations';
import { metricsRoutes } from './metrics';
import { productDeviceRoutes } from './productDevices';
import { orgRoutes } from './orgs';
import { productRoutes } from './products';
import { serviceAgreementRoutes } from './serviceAgreements';
import { simRoutes } from './sims';
import { streamRoutes } from './streams';
import { teamRoutes } from './team';
import { vitalsRoutes } from './vitals';

export const routes: readonly Route[] = [
	...authRoutes,
	// Before the device routes: /v1/devices/events/x would otherwise read variable x of a device named "events".
	...streamRoutes,
	...eventRoutes,
	...productRoutes,
	...customerRoutes,
	...teamRoutes,
	...orgRoutes,
	...serviceAgreementRoutes,
	...integrationRoutes,
	...simRoutes,
	...ledgerRoutes,
	...metricsRoutes,
	...locationRoutes,
	...deviceOsRoutes,
	...vitalsRoutes,
	...firmwareRoutes,
	...groupRoutes,
	...productDeviceRoutes,
	...claimRoutes,
	...deviceRoutes,
	...deviceCallRoutes,
];
