// Reference: Cloud API > Devices > Get a variable value; Call a function; Ping a device; and the Errors table (404 not connected, 408 timed out)
/**
 * Calls that reach the device itself: ping, read a variable, call a function. These are the ones that fail when the
 * device is offline (404) or too slow (408).
 */
import { badRequest, deviceNotConnected, notFound, timedOut } from '../errors';
import { field, ownEntry, toText, utf8Length, wantsRaw } from '../fields';
import type { FakeDevice } from '../fleet';
import { ok, type Reply } from '../http';
import type { RequestContext, Route } from '../router';
import { coreInfo } from '../serialize';
import type { TokenRecord } from '../tokens';
import { deviceTwins, type DeviceTarget } from './twins';

/** Gen 3 / P2 limit from the field-limits table; the strictest value a current cloud accepts. */
export const MAX_FUNCTION_ARG_BYTES = 1024;

export const deviceCallRoutes: Route[] = [
	...deviceTwins('PUT', '/ping', 'devices:ping', ping),
	...deviceTwins('GET', '/:name', 'devices.variable:get', readVariable),
	...deviceTwins('POST', '/:name', 'devices.function:call', callFunction),
];

/** A slow device answers nothing: wait out the cloud's patience, then 408. Others take their round trip (latency.ts). */
async function reachDevice(ctx: RequestContext, device: FakeDevice): Promise<void> {
	if (device.slowDelayMs === null) {
		const trip = ctx.fleet.deviceLatency?.nextCall(device.id);
		if (trip) await ctx.sleep(trip.ms);
		if (trip?.timedOut) throw timedOut();
		device.last_heard = new Date(ctx.now()).toISOString();
		return;
	}
	await ctx.sleep(device.slowDelayMs);
	throw timedOut();
}

/** An offline device is simply reported offline; it is not an error. */
async function ping(ctx: RequestContext, _who: TokenRecord, { device }: DeviceTarget): Promise<Reply> {
	if (device.online) await reachDevice(ctx, device);
	return ok({ online: device.online, ok: true });
}

async function readVariable(ctx: RequestContext, _who: TokenRecord, { device }: DeviceTarget): Promise<Reply> {
	const name = ctx.params.name;
	if (!device.online) throw deviceNotConnected();
	const variable = ownEntry(device.variables, name);
	if (!variable) throw notFound('Variable not found');
	await reachDevice(ctx, device);
	if (wantsRaw(ctx)) return { status: 200, text: String(variable.value) };
	return ok({ name, result: variable.value, coreInfo: coreInfo(device) });
}

/** The docs name the argument `arg`, particle-api-js sends `args`: either works, `arg` wins. */
async function callFunction(ctx: RequestContext, _who: TokenRecord, { device }: DeviceTarget): Promise<Reply> {
	const name = ctx.params.name;
	const given = field(ctx, 'arg') ?? field(ctx, 'args');
	const arg = given === undefined || given === null ? '' : toText(given, 'arg');
	if (utf8Length(arg) > MAX_FUNCTION_ARG_BYTES) {
		throw badRequest(`Argument too long: at most ${MAX_FUNCTION_ARG_BYTES} bytes`); // (text unconfirmed)
	}
	if (!device.online) throw deviceNotConnected();
	const fn = ownEntry(device.functions, name);
	if (!fn) throw notFound(`Function ${name} not found`);
	await reachDevice(ctx, device);
	const now = ctx.now();
	const returnValue = fn(arg, device, now);
	device.calls.push({ name, arg, return_value: returnValue, at: new Date(now).toISOString() });
	if (wantsRaw(ctx)) return { status: 200, text: String(returnValue) };
	return ok({ id: device.id, name, connected: true, return_value: returnValue });
}
