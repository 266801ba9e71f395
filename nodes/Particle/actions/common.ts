/**
 * Fields and readers shared by operations: where the devices live (sandbox or product), which product, which device.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { wantsDeviceState, type DeviceState } from '../../shared/errors';

import { checkNumber, PRODUCT_ID_OR_SLUG_PATTERN, toNumber, type LimitViolation, type NumberRule } from '../../shared/limits';
import { checkDeviceLocator, checkLinkInScope, checkProductLocator, deviceUrlMode, productUrlMode } from '../../shared/locators';
import { devicePath, devicesPath, type DeviceScope } from '../../shared/paths';
import { expectList } from '../../shared/shapes';
import type { ParticleCall, ParticleClient } from '../../shared/client';
import { failureBehind, toNodeApiError } from '../../shared/transport';
import type { ParticleNodeMap, ParticleResource } from './types';

const PRODUCT_ID_OR_SLUG_REGEX = PRODUCT_ID_OR_SLUG_PATTERN.source;
const DEVICE_ID_REGEX = '^[0-9a-fA-F]{24}$';

/** `{ show }` when there are conditions, nothing when the field always shows (triggers). */
function shownWhen(show: IDisplayOptions['show']): Pick<INodeProperties, 'displayOptions'> {
	return show && Object.keys(show).length > 0 ? { displayOptions: { show } } : {};
}

export function deviceScopeField(show?: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Devices In',
		name: 'deviceScope',
		type: 'options',
		default: 'sandbox',
		options: [
			{
				name: 'A Product',
				value: 'product',
				description: 'Devices of a product fleet, addressed through the product',
			},
			{
				name: 'My Devices (Sandbox)',
				value: 'sandbox',
				description: 'Devices claimed to the account of the token',
			},
		],
		...shownWhen(show),
	};
}

export function productField(show?: IDisplayOptions['show']): INodeProperties {
	return {
		displayName: 'Product',
		name: 'product',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The product, by ID or slug',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchProducts', searchable: true },
			},
			productUrlMode(),
			{
				displayName: 'By ID or Slug',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 12345 or environment-monitor-12345',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: PRODUCT_ID_OR_SLUG_REGEX,
							errorMessage: 'Enter a product ID (a number) or a product slug',
						},
					},
				],
			},
		],
		...shownWhen(show),
	};
}

export interface DeviceFieldText {
	/** The parameter's name: `device` in the action node; the triggers keep the `deviceId` of their older text field. */
	name?: string;
	/** Whether a name may be given (By Name): the triggers take IDs only. */
	byName?: boolean;
	required?: boolean;
	description?: string;
	/** What the list follows: n8n clears the device and lists again when one of these changes. */
	dependsOn?: string[];
}

/**
 * The device: from the list of the chosen scope's devices, by Console link, by ID, or by name. A workflow saved when
 * the field was a text field keeps its plain string, which reads as an ID (see `checkDeviceLocator`).
 */
export function deviceField(show: IDisplayOptions['show'], text: DeviceFieldText = {}): INodeProperties {
	const field: INodeProperties = {
		displayName: 'Device',
		name: text.name ?? 'device',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: text.required ?? true,
		...(text.description ? { description: text.description } : {}),
		typeOptions: { loadOptionsDependsOn: text.dependsOn ?? ['deviceScope', 'product.value'] },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchDevices', searchable: true },
			},
			deviceUrlMode(),
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 0123456789abcdef01234567',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: DEVICE_ID_REGEX,
							errorMessage: 'A device ID is 24 hexadecimal characters',
						},
					},
				],
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: 'e.g. greenhouse-argon',
			},
		],
		...shownWhen(show),
	};
	if (text.byName === false) field.modes = field.modes?.filter((mode) => mode.name !== 'name');
	return field;
}

interface MemberFieldText {
	displayName: string;
	name: string;
	searchListMethod: string;
	placeholder: string;
	description: string;
}

/**
 * A variable or function of the chosen device: picked from the names the device registered, or typed (By Name) for
 * expressions. A workflow saved when this was a text field keeps its plain string, which reads the same.
 */
export function deviceMemberField(text: MemberFieldText, show: IDisplayOptions['show'] = {}): INodeProperties {
	return {
		displayName: text.displayName,
		name: text.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: text.description,
		typeOptions: { loadOptionsDependsOn: ['deviceScope', 'product.value', 'device.value'] },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: text.searchListMethod, searchable: true },
			},
			{
				displayName: 'By Name',
				name: 'name',
				type: 'string',
				placeholder: text.placeholder,
			},
		],
		displayOptions: { show },
	};
}

/** The name of a variable or function as the user gave it: a locator's value, or the plain text of an older workflow. */
export function readMemberName(this: IExecuteFunctions, name: string, itemIndex: number): string {
	const value: unknown = this.getNodeParameter(name, itemIndex, '', { extractValue: true });
	// An object from an expression is taken as its JSON, as n8n does for text fields: never "[object Object]".
	return (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '')).trim();
}

/** Device scope + product (shown for products) + device: the usual head of a device operation. */
export function deviceTargetFields(show: IDisplayOptions['show'] = {}): INodeProperties[] {
	return [deviceScopeField(show), productField({ ...show, deviceScope: ['product'] }), deviceField(show)];
}

/** Any n8n context (an operation, the polling trigger): only its node is needed to build the error. */
interface HasNode {
	getNode(): INode;
}

/** `itemIndex` is absent only where there are no items (a trigger's poll). */
export function throwIfInvalid(context: HasNode, violation: LimitViolation | null, itemIndex?: number): void {
	if (violation) {
		throw new NodeOperationError(context.getNode(), violation.message, {
			itemIndex,
			description: 'Nothing was sent to Particle.',
		});
	}
}

export function readDeviceScope(this: IExecuteFunctions, itemIndex: number): DeviceScope {
	const kind = this.getNodeParameter('deviceScope', itemIndex, 'sandbox') as DeviceScope['kind'];
	return kind === 'product' ? readProductScope.call(this, itemIndex) : { kind: 'sandbox' };
}

/** For operations that exist only for product devices (no "Devices In" field). */
export function readProductScope(this: IExecuteFunctions, itemIndex: number): DeviceScope & { kind: 'product' } {
	// Read as stored (not extracted by n8n), so a Console link gets this node's own checks and words.
	const product = checkProductLocator(this.getNodeParameter('product', itemIndex, ''));
	throwIfInvalid(this, product.violation ?? null, itemIndex);
	return { kind: 'product', product: product.value ?? '' };
}

/** The product of a product-only operation (firmware, groups, customers), as Particle's routes take it. */
export function readProduct(this: IExecuteFunctions, itemIndex: number): string {
	return readProductScope.call(this, itemIndex).product;
}

/** What to change when a product device's Console link is used with the sandbox, in the action node's words. */
export const CHOOSE_PRODUCT_SCOPE = (product: string) => `Set Devices In to A Product and choose product "${product}" (its Product field takes the same link).`;

/**
 * The device as Particle's routes take it. Sandbox routes accept an ID or a name; product routes take IDs only, so a
 * name there is looked up in the product's device list first (exact match). A Console link gives the ID, and the
 * product it names must be the scope's.
 */
export async function readDevice(
	this: IExecuteFunctions,
	itemIndex: number,
	scope: DeviceScope,
	client: ParticleClient,
): Promise<string> {
	const choice = checkDeviceLocator(this.getNodeParameter('device', itemIndex, ''), { names: true });
	throwIfInvalid(this, choice.violation ?? null, itemIndex);
	const { by, device } = choice.value ?? { by: 'id', device: '' };
	if (choice.value) throwIfInvalid(this, checkLinkInScope(choice.value, scope, CHOOSE_PRODUCT_SCOPE), itemIndex);
	if (by === 'name' && scope.kind === 'product') return await findProductDeviceId.call(this, scope, device, itemIndex, client);
	return device;
}

async function findProductDeviceId(
	this: IExecuteFunctions,
	scope: DeviceScope,
	name: string,
	itemIndex: number,
	client: ParticleClient,
): Promise<string> {
	// Particle's filter matches names that contain the text: read every page, or an exact match past 100 is missed.
	const pages = await client.listAll<unknown>(devicesPath(scope), { itemsKey: 'devices', query: { deviceName: name } });
	const candidates = expectList(this, pages, 'device list', itemIndex);
	const matches = candidates.filter((device) => device.name === name).map((device) => String(device.id));
	if (matches.length === 1) return matches[0];
	const message =
		matches.length === 0
			? `No device named "${name}" in this product`
			: `${matches.length} devices in this product are named "${name}": ${matches.sort().join(', ')}`;
	throw new NodeOperationError(this.getNode(), message, {
		itemIndex,
		description: 'Device names are matched exactly. Pick the device from the list, or use its ID.',
	});
}

/** Return All / Limit, the n8n way. */
export function returnAllOrLimit(show: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, numberPrecision: 0 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/**
 * A number parameter as n8n hands it over: from an expression it may be anything (NaN, -2, "5", an object), so it is
 * checked against the rule before use; numeric text counts as its number.
 */
export function readNumber(
	this: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: number,
	field: string,
	rule: NumberRule,
): number {
	const value: unknown = this.getNodeParameter(name, itemIndex, fallback);
	throwIfInvalid(this, checkNumber(value, field, rule), itemIndex);
	return toNumber(value);
}

export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : readNumber.call(this, 'limit', itemIndex, 50, 'Limit', { whole: true, min: 1 });
}

export function simplifyField(show: IDisplayOptions['show'], what: string): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: `Whether to return only the ${what} fields a workflow usually needs instead of the full response`,
		displayOptions: { show },
	};
}

/** The fields of an object that a workflow usually needs, in a stable order, skipping the ones absent. */
export function pick(source: IDataObject, keys: readonly string[]): IDataObject {
	const picked: IDataObject = {};
	for (const key of keys) {
		if (source[key] !== undefined) picked[key] = source[key];
	}
	return picked;
}

export const MAX_CONCURRENCY = 50;

/** How many items run at once: the same option on every operation, read once per run. */
export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: MAX_CONCURRENCY },
	// 8 in flight at a device's median round trip (300 ms) is about 27 requests/s: inside Particle's 10,000 per
	// 5 minutes (33/s) with room for triggers, and 1,000 devices in about a minute instead of eight (bench/RESULTS.md P1).
	default: 8,
	description:
		'How many input items to send to Particle at the same time. 1 sends them one after the other. Items for the same device (or the same event name) always go one after the other, in order. Output order and item pairing are kept; when Particle answers 429, one request tries first and the rest follow when it is accepted.',
};

type OwnOptionsMap = { [Resource in ParticleResource]?: { [Operation in ParticleNodeMap[Resource]]?: string } };

/**
 * The operations that have an options collection of their own, and its parameter name: Concurrency goes in there
 * (one collection per operation), everywhere else it is under "Item Processing". The names are the first releases'
 * (`csvOptions`, `claimOptions`), so saved values load. `optionsCollection`, the Item Processing fields and
 * `readConcurrency` all follow this one table.
 */
export const OWN_OPTIONS = {
	customer: { createClaimCode: 'claimOptions' },
	device: { createClaimCode: 'claimOptions' },
	event: { publish: 'options' },
	function: { call: 'options' },
	variable: { get: 'options' },
	vitals: { getHistory: 'csvOptions' },
} as const satisfies OwnOptionsMap;

/** The parameter name of the operation's own options collection, if it has one. */
export function ownOptionsName(resource: unknown, operation: unknown): string | undefined {
	const table: Record<string, Record<string, string> | undefined> = OWN_OPTIONS;
	const byOperation = Object.prototype.hasOwnProperty.call(table, String(resource)) ? table[String(resource)] : undefined;
	return byOperation !== undefined && Object.prototype.hasOwnProperty.call(byOperation, String(operation)) ? byOperation[String(operation)] : undefined;
}

/**
 * The operation's Options collection, with Concurrency in it, sorted by display name. Its parameter name comes from
 * OWN_OPTIONS by the resource and operation; `fieldsFor` shows it for them.
 */
export function optionsCollection<Resource extends ParticleResource>(
	resource: Resource,
	operation: ParticleNodeMap[Resource],
	options: INodeProperties[] = [],
): INodeProperties {
	return {
		displayName: 'Options',
		name: ownOptionsName(resource, operation) ?? 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options, concurrencyOption].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

const itemProcessing = (displayOptions: IDisplayOptions): INodeProperties => ({
	displayName: 'Item Processing',
	name: 'itemProcessing',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions,
	options: [concurrencyOption],
});

/**
 * "Item Processing" for the operations without an options collection of their own (see OWN_OPTIONS). Where
 * Concurrency is in the operation's Options, a hidden field of the same name keeps a saved workflow's older
 * `itemProcessing.concurrency` (n8n drops the value of a field that is not shown). n8n shows a field when all its
 * `show` rules match and none of its `hide` rules, so per resource: Item Processing for its other operations, the
 * hidden field for these.
 */
export const itemProcessingFields: INodeProperties[] = [
	itemProcessing({ hide: { resource: Object.keys(OWN_OPTIONS) } }),
	...Object.entries(OWN_OPTIONS).flatMap(([resource, byOperation]): INodeProperties[] => [
		itemProcessing({ show: { resource: [resource] }, hide: { operation: Object.keys(byOperation) } }),
		{
			displayName: 'Item Processing',
			name: 'itemProcessing',
			type: 'hidden',
			default: {},
			displayOptions: { show: { resource: [resource], operation: Object.keys(byOperation) } },
		},
	]),
];

/**
 * Concurrency from the operation's own Options, or from Item Processing (also the older value of a workflow saved
 * before Concurrency moved into Options).
 */
export function readConcurrency(this: IExecuteFunctions): number {
	const own = ownOptionsName(this.getNodeParameter('resource', 0, ''), this.getNodeParameter('operation', 0, ''));
	const options = (own === undefined ? {} : this.getNodeParameter(own, 0, {})) as { concurrency?: unknown };
	const older = this.getNodeParameter('itemProcessing', 0, {}) as { concurrency?: unknown };
	const wanted = Math.floor(Number(options?.concurrency ?? older?.concurrency ?? concurrencyOption.default));
	return Number.isFinite(wanted) ? Math.min(Math.max(wanted, 1), MAX_CONCURRENCY) : 1;
}

/** Hints already added, per run: an operation runs once per item but says a thing once. */
const hintsByRun = new WeakMap<object, Set<string>>();

/** An execution hint shown under the output once per run, however many items give cause for it. */
export function addHintOnce(this: IExecuteFunctions, message: string): void {
	const added = hintsByRun.get(this) ?? new Set<string>();
	hintsByRun.set(this, added);
	if (added.has(message)) return;
	added.add(message);
	this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
}

export interface DeviceTarget {
	scope: DeviceScope;
	device: string;
}

/** The item's device and where it lives: "Devices In" (or the product alone, for product-only operations) and the device. */
export async function readDeviceTarget(this: IExecuteFunctions, itemIndex: number, client: ParticleClient, productOnly = false): Promise<DeviceTarget> {
	const scope = productOnly ? readProductScope.call(this, itemIndex) : readDeviceScope.call(this, itemIndex);
	return { scope, device: await readDevice.call(this, itemIndex, scope, client) };
}

/** One read of the device (never of the call that failed): online, last heard, name; or why it could not be read. */
async function readDeviceState(client: ParticleClient, { scope, device }: DeviceTarget): Promise<DeviceState> {
	try {
		const found = await client.get<IDataObject>(devicePath(scope, device));
		return {
			read: true,
			online: typeof found.online === 'boolean' ? found.online : undefined,
			lastHeard: typeof found.last_heard === 'string' ? found.last_heard : null,
			name: typeof found.name === 'string' ? found.name : null,
		};
	} catch (error) {
		const failure = failureBehind(error);
		const reason = failure?.status !== undefined ? `HTTP ${failure.status}` : (failure?.networkCode ?? 'no answer');
		return { read: false, reason };
	}
}

/**
 * A request that reaches the device itself (a variable read, a function call). When it fails because the device is
 * offline or too slow, the error says when Particle last heard from it, from one read of the device afterwards; the
 * call itself is never sent again.
 */
export async function requestFromDevice<T>(
	context: IExecuteFunctions,
	client: ParticleClient,
	target: DeviceTarget,
	{ method, path, ...payload }: ParticleCall,
): Promise<T> {
	const { itemIndex } = client;
	try {
		return await client.send<T>(method, path, payload);
	} catch (error) {
		const failure = failureBehind(error);
		// Not a failed answer (a Base URL or path refused before sending): the same error, as n8n's.
		if (failure === undefined) throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		const deviceState = wantsDeviceState(failure) ? await readDeviceState(client, target) : undefined;
		throw toNodeApiError(context.getNode(), { ...failure, ...(deviceState ? { deviceState } : {}) }, itemIndex);
	}
}
