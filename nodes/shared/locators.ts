/**
 * Resource locator values (device, product, organization) as n8n hands them to a node, and Particle Console links.
 * Pure: no n8n runtime. n8n checks a locator's regex in the editor only; a value from an expression, or the plain text
 * of a workflow saved when the field was a text field, arrives unchecked, so every value is checked here again.
 *
 * Console links, as Particle's Console and CLI write them:
 *   https://console.particle.io/devices/<device ID>[/...]                 a sandbox device
 *   https://console.particle.io/<product ID or slug>/devices/<device ID>  a product device
 *   https://console.particle.io/<product ID or slug>[/...]                any product page (devices, settings, env...)
 *   https://console.particle.io/orgs/<organization>[/...]                 any organization page (team, env...)
 * console.staging.particle.io is Particle's staging Console; its links read the same.
 */
import type { INodePropertyMode } from 'n8n-workflow';

import { checkDeviceId, checkName, checkProductIdOrSlug, describeValue, textOf, type LimitViolation } from './limits';
import type { DeviceScope } from './paths';

/** One capture group each, as n8n's `extractValue` needs: the device ID, the product, the organization. */
export const DEVICE_URL_REGEX = /^https?:\/\/console(?:\.staging)?\.particle\.io\/(?:[^/?#\s]+\/)?devices\/([0-9a-fA-F]{24})(?:[/?#]\S*)?$/;
/**
 * The first path segment, unless it is one of the Console's own sections (those pages name no product); a product ID,
 * or a slug as `PRODUCT_ID_OR_SLUG_PATTERN` takes it.
 */
export const PRODUCT_URL_REGEX =
	/^https?:\/\/console(?:\.staging)?\.particle\.io\/(?!(?:devices|orgs|products|events|integrations|billing|env|authentication|sims)(?:[/?#]|$))([1-9][0-9]*|(?=[a-z0-9-]*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*)(?:[/?#]\S*)?$/;
export const ORGANIZATION_URL_REGEX = /^https?:\/\/console(?:\.staging)?\.particle\.io\/orgs\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})(?:[/?#]\S*)?$/;

/** Organization IDs are hexadecimal, slugs lower-case words joined by dashes; the exact slug rules are not documented. */
export const ORGANIZATION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Loose shapes, to say what is wrong with a link rather than only that it is wrong. */
const CONSOLE_LINK = /^https?:\/\/console(?:\.staging)?\.particle\.io(?:[/?#]|$)/;
const DEVICE_LINK = /^https?:\/\/console(?:\.staging)?\.particle\.io\/(?:([^/?#\s]+)\/)?devices\/([^/?#\s]+)(?:[/?#]\S*)?$/;
const FIRST_SEGMENT = /^https?:\/\/console(?:\.staging)?\.particle\.io\/([^/?#\s]+)(?:[/?#]\S*)?$/;
const ORGANIZATION_LINK = /^https?:\/\/console(?:\.staging)?\.particle\.io\/orgs\/([^/?#\s]+)(?:[/?#]\S*)?$/;
/** Console sections that are not products (the first segment of their links). */
const CONSOLE_SECTIONS = new Set(['devices', 'orgs', 'products', 'events', 'integrations', 'billing', 'env', 'authentication', 'sims']);

/** "By URL" for n8n: checked in the editor (validation) and read at run time (extractValue), from the same regex. */
function urlMode(regex: RegExp, placeholder: string, errorMessage: string): INodePropertyMode {
	// eslint-disable-next-line n8n-nodes-base/node-param-default-missing -- a locator mode, which takes no default; the rule exempts only modes written inside `modes: [...]`
	return {
		displayName: 'By URL',
		// n8n knows a URL mode by its name; its input is text.
		name: 'url',
		type: 'string',
		placeholder,
		validation: [{ type: 'regex', properties: { regex: regex.source, errorMessage } }],
		extractValue: { type: 'regex', regex: regex.source },
	};
}

export const deviceUrlMode = (): INodePropertyMode =>
	urlMode(
		DEVICE_URL_REGEX,
		'e.g. https://console.particle.io/devices/0123456789abcdef01234567',
		'Paste the Particle Console link of a device (…/devices/<24-character device ID>)',
	);

export const productUrlMode = (): INodePropertyMode =>
	urlMode(
		PRODUCT_URL_REGEX,
		'e.g. https://console.particle.io/environment-monitor-12345/devices',
		'Paste the Particle Console link of a product page (https://console.particle.io/<product slug or ID>/...)',
	);

export const organizationUrlMode = (): INodePropertyMode =>
	urlMode(
		ORGANIZATION_URL_REGEX,
		'e.g. https://console.particle.io/orgs/acme-iot/team',
		'Paste the Particle Console link of an organization page (https://console.particle.io/orgs/<organization>/...)',
	);

/** A checked value, or why it was refused. */
export type Checked<T> = { value: T; violation?: undefined } | { value?: undefined; violation: LimitViolation };

const accept = <T>(value: T): Checked<T> => ({ value });
const refuse = (field: string, message: string): Checked<never> => ({ violation: { field, message: `${field} ${message}` } });
const refuseWith = (violation: LimitViolation): Checked<never> => ({ violation });

interface LocatorParts {
	/** Absent for the plain text of a workflow saved when the field was a text field. */
	mode?: string;
	value: unknown;
}

/** n8n stores a locator as `{ __rl, mode, value }`; an older workflow holds the text (or expression result) itself. */
function partsOf(raw: unknown): LocatorParts {
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'mode' in raw && 'value' in raw) {
		const { mode, value } = raw as { mode: unknown; value: unknown };
		return { mode: typeof mode === 'string' ? mode : undefined, value };
	}
	return { value: raw };
}

/** Whether the locator holds nothing (an optional filter left empty). */
export function isEmptyLocator(raw: unknown): boolean {
	const { value } = partsOf(raw);
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A link as shown in a message: short, and without its query or fragment (never echo whatever was appended). */
function shown(link: string): string {
	const bare = link.split(/[?#]/)[0];
	return `"${bare.length > 80 ? `${bare.slice(0, 80)}...` : bare}"`;
}

function isConsoleLink(text: string): boolean {
	return CONSOLE_LINK.test(text);
}

export interface DeviceChoice {
	/** 'name' only where names are offered and chosen; otherwise a device ID, lower-case. */
	by: 'id' | 'name';
	device: string;
	/** The product a Console link of a product device names (its first path segment). */
	linkProduct?: string;
}

export interface DeviceLocatorRules {
	/** Whether the field has a By Name mode (the action node). */
	names?: boolean;
	/** How a value that is not text is refused: `${field} must be ${accepted} (got a list)`. */
	field?: string;
	accepted?: string;
}

/** A device locator: an ID (From List, By ID, or the plain text of an older workflow), a name, or a Console link. */
export function checkDeviceLocator(raw: unknown, rules: DeviceLocatorRules = {}): Checked<DeviceChoice> {
	const { mode, value } = partsOf(raw);
	const text = textOf(value);
	if (text === undefined) return refuse(rules.field ?? 'Device', `must be ${rules.accepted ?? 'a device ID or a Console link of a device'} (got ${describeValue(value)})`);
	const trimmed = text.trim();
	if (mode === 'url') return checkDeviceLink(trimmed);
	if (mode === 'name' && rules.names === true) {
		const problem = checkName(trimmed, 'Device name');
		return problem ? refuseWith(problem) : accept({ by: 'name', device: trimmed });
	}
	const problem = checkDeviceId(trimmed, 'Device ID');
	return problem ? refuseWith(problem) : accept({ by: 'id', device: trimmed.toLowerCase() });
}

function checkDeviceLink(link: string): Checked<DeviceChoice> {
	const match = DEVICE_LINK.exec(link);
	if (!match) {
		const what = isConsoleLink(link) ? 'a Console link that names no device' : 'not a Particle Console link';
		return refuse('Device', `must be the Console link of a device, such as https://console.particle.io/devices/<device ID>; ${shown(link)} is ${what}`);
	}
	const [, product, device] = match;
	const idProblem = checkDeviceId(device, 'The device ID in the Console link');
	if (idProblem) return refuseWith({ field: 'Device', message: idProblem.message });
	if (product === undefined) return accept({ by: 'id', device: device.toLowerCase() });
	const productProblem = checkProductIdOrSlug(product, 'The product in the Console link');
	if (productProblem) return refuseWith({ field: 'Device', message: productProblem.message });
	return accept({ by: 'id', device: device.toLowerCase(), linkProduct: product });
}

const isProductId = (product: string) => /^[1-9][0-9]*$/.test(product);

/**
 * A Console link of a product device, used where that device cannot be: in the sandbox, or in another product than
 * the one chosen. `howToFix` says what to change in this node's words. A product ID and a slug cannot be compared
 * without asking Particle: those go through, and Particle answers for the device in the chosen product.
 */
export function checkLinkInScope(choice: DeviceChoice, scope: DeviceScope, howToFix: (product: string) => string): LimitViolation | null {
	const product = choice.linkProduct;
	if (product === undefined) return null;
	if (scope.kind === 'sandbox') {
		return {
			field: 'Device',
			message: `The Console link is of a device in product "${product}", but this node is set to your sandbox devices. ${howToFix(product)}`,
		};
	}
	if (isProductId(product) === isProductId(scope.product) && product !== scope.product) {
		return {
			field: 'Device',
			message: `The Console link is of a device in product "${product}", not in the chosen product "${scope.product}". Choose product "${product}", or the link of a device in "${scope.product}".`,
		};
	}
	return null;
}

/** A product locator: an ID or slug (From List, By ID or Slug, plain text), or a Console link of any product page. */
export function checkProductLocator(raw: unknown): Checked<string> {
	const { mode, value } = partsOf(raw);
	const text = textOf(value);
	if (text === undefined) return refuse('Product', `must be a product ID or slug (got ${describeValue(value)})`);
	const trimmed = text.trim();
	if (mode === 'url') return checkProductLink(trimmed);
	const problem = checkProductIdOrSlug(trimmed);
	return problem ? refuseWith(problem) : accept(trimmed);
}

function checkProductLink(link: string): Checked<string> {
	const match = FIRST_SEGMENT.exec(link);
	if (!match) {
		const what = isConsoleLink(link) ? 'the Console\'s start page, which names no product' : 'not a Particle Console link';
		return refuse('Product', `must be the Console link of a product page, such as https://console.particle.io/<product slug>/devices; ${shown(link)} is ${what}`);
	}
	const [, product] = match;
	if (CONSOLE_SECTIONS.has(product)) {
		return refuse('Product', `must be the Console link of a product page; ${shown(link)} is the Console's "${product}" page, which names no product. Open the product in the Console and copy that link.`);
	}
	const problem = checkProductIdOrSlug(product, 'The product in the Console link');
	return problem ? refuseWith({ field: 'Product', message: problem.message }) : accept(product);
}

/** An organization locator: an ID or slug (From List, By ID or Slug, plain text), or a Console link of an org page. */
export function checkOrganizationLocator(raw: unknown): Checked<string> {
	const { mode, value } = partsOf(raw);
	const text = textOf(value);
	if (text === undefined) return refuse('Organization', `must be an organization ID or slug (got ${describeValue(value)})`);
	const trimmed = text.trim();
	if (mode === 'url') {
		const match = ORGANIZATION_LINK.exec(trimmed);
		if (!match) {
			const what = isConsoleLink(trimmed) ? 'a Console link that names no organization' : 'not a Particle Console link';
			return refuse('Organization', `must be the Console link of an organization page, such as https://console.particle.io/orgs/<organization>/team; ${shown(trimmed)} is ${what}`);
		}
		return ORGANIZATION_PATTERN.test(match[1]) ? accept(match[1]) : refuse('Organization', `in the Console link must be an organization ID or slug (got "${match[1].slice(0, 40)}")`);
	}
	if (!ORGANIZATION_PATTERN.test(trimmed)) return refuse('Organization', `must be an organization ID or slug (got "${trimmed.slice(0, 40)}")`);
	return accept(trimmed);
}
