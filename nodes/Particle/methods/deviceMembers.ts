/**
 * Pickers for a device's variables and functions: the names the chosen device registered, from one read of the
 * device (`GET /v1/devices/:id` or the product form). Building the list is pure (`memberItems`).
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { particleClient, type ParticleClient } from '../../shared/client';
import { checkDeviceLocator } from '../../shared/locators';
import { devicePath, devicesPath, type DeviceScope } from '../../shared/paths';
import { expectList } from '../../shared/shapes';

export type DeviceMemberKind = 'variables' | 'functions';

/** Particle names variable types as the firmware declares them; the list shows them as people write them. */
const VARIABLE_TYPE_NAMES: Record<string, string> = { int32: 'int', int: 'int', double: 'double', string: 'string', bool: 'bool' };

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The picker's entries from a device as Particle answers it: variables with their type as the description, functions
 * by name; sorted, filtered by a case-insensitive part of the name.
 */
export function memberItems(device: IDataObject, kind: DeviceMemberKind, filter?: string): INodeListSearchItems[] {
	const registered = device[kind];
	const entries: INodeListSearchItems[] = [];
	if (kind === 'variables' && isRecord(registered)) {
		for (const [name, type] of Object.entries(registered)) {
			const typeName = typeof type === 'string' ? (VARIABLE_TYPE_NAMES[type] ?? type) : undefined;
			entries.push({ name, value: name, ...(typeName !== undefined ? { description: typeName } : {}) });
		}
	} else if (kind === 'functions' && Array.isArray(registered)) {
		for (const name of registered) if (typeof name === 'string') entries.push({ name, value: name });
	}
	const needle = filter?.trim().toLowerCase();
	return entries
		.filter((entry) => !needle || entry.name.toLowerCase().includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name));
}

interface LocatorValue {
	mode?: unknown;
	value?: unknown;
}

/** A value the editor can use now: not empty, not an expression (evaluated only when the workflow runs). */
function usable(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	return text === '' || text.startsWith('=') ? undefined : text;
}

function currentScope(context: ILoadOptionsFunctions): DeviceScope | undefined {
	if (context.getCurrentNodeParameter('deviceScope') !== 'product') return { kind: 'sandbox' };
	const product = usable(context.getCurrentNodeParameter('product', { extractValue: true }));
	return product === undefined ? undefined : { kind: 'product', product };
}

/**
 * The device ID (or, in the sandbox, a name Particle takes in the path). A product route takes IDs only, so a name
 * there is looked up in the product's device list (exact match); undefined when it is not found.
 */
async function currentDevice(context: ILoadOptionsFunctions, client: ParticleClient, scope: DeviceScope): Promise<string | undefined> {
	const locator = context.getCurrentNodeParameter('device') as LocatorValue | string | undefined;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'id';
	const value = usable(typeof locator === 'object' && locator !== null ? locator.value : locator);
	if (value === undefined) return undefined;
	if (mode !== 'name') {
		// An ID, or a Console link (By URL) read for the ID it holds; nothing to list for what is neither.
		return checkDeviceLocator(typeof locator === 'object' ? locator : value).value?.device;
	}
	if (scope.kind === 'sandbox') return value;
	// Particle's filter matches names that contain the text: every page, or an exact match past the first is missed.
	const pages = await client.listAll<unknown>(devicesPath(scope), { itemsKey: 'devices', query: { deviceName: value } });
	const matches = expectList(context, pages, 'device list').filter((device) => device.name === value);
	return matches.length === 1 ? String(matches[0].id) : undefined;
}

async function searchMembers(context: ILoadOptionsFunctions, kind: DeviceMemberKind, filter?: string): Promise<INodeListSearchResult> {
	const client = particleClient(context);
	const scope = currentScope(context);
	const device = scope === undefined ? undefined : await currentDevice(context, client, scope);
	if (scope === undefined || device === undefined) return { results: [] };
	const found = await client.get<IDataObject>(devicePath(scope, device));
	const results = memberItems(found, kind, filter);
	if (results.length === 0 && found.online === false && !filter) {
		// Said rather than shown as an empty list, which reads as "this device has none".
		throw new NodeOperationError(context.getNode(), `The device is offline and Particle lists no ${kind} for it`, {
			description: `Particle knows a device's ${kind} from the device itself. Type the name with "By Name", or pick again when the device is online.`,
		});
	}
	return { results };
}

export async function searchVariables(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchMembers(this, 'variables', filter);
}

export async function searchFunctions(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	return await searchMembers(this, 'functions', filter);
}
