/** Every route, in matching order (literal paths before parameterised ones of the same shape). */
import type { Route } from '../router';
import { authRoutes } from './auth';
import { claimRoutes } from './claims';
import { deviceCallRoutes } from './deviceCalls';
import { deviceRoutes } from './devices';
import { eventRoutes } from './events';
import { productDeviceRoutes } from './productDevices';
import { productRoutes } from './products';

export const routes: readonly Route[] = [
	...authRoutes,
	...eventRoutes,
	...productRoutes,
	...productDeviceRoutes,
	...claimRoutes,
	...deviceRoutes,
	...deviceCallRoutes,
];
