/**
 * A simulated Particle Cloud for tests and the demo: real HTTP on 127.0.0.1, an in-memory fleet, fault injection.
 *
 *   const cloud = await startFakeCloud({ devices: 4 });
 *   const particle = new Particle({ baseUrl: cloud.url });
 *   await particle.listDevices({ auth: cloud.tokens.user });
 *   await cloud.close();
 */
import { FakeCloudServer } from './server';
import type { FakeCloud, FakeCloudOptions } from './types';

export type {
	FakeCloud,
	FakeCloudOptions,
	FaultRule,
	IssueTokenSpec,
	RateLimitOptions,
	RecordedRequest,
	TokenKind,
} from './types';
export type {
	FakeClaimCode,
	FakeCustomer,
	FakeDevice,
	FakeFunction,
	FakeOAuthClient,
	FakeOrganization,
	FakeProduct,
	FakeUser,
	FakeVariable,
	FleetEvent,
	FunctionCall,
	VariableType,
	VariableValue,
} from './fleet';
export type { VitalsRecord } from './vitals';
export type { ClockSource } from './clock';
export { Fleet } from './fleet';
export { FleetScript, type FleetScriptOptions, type FleetStep } from './script';
export { USER_EMAIL, USER_PASSWORD } from './seed';

export async function startFakeCloud(options: FakeCloudOptions = {}): Promise<FakeCloud> {
	const cloud = new FakeCloudServer(options);
	await cloud.listen();
	return cloud;
}
