/**
 * The trigger's Particle integration over n8n's webhook lifecycle: found again after a restart (checkExists), created on
 * activation (create), deleted on deactivation (delete). Its ID, where it lives and the secret it sends are kept in the
 * node's static data, which n8n saves after activation and deactivation.
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { generateSecureToken, NodeOperationError } from 'n8n-workflow';

import { integrationPath, integrationsPath, VERIFICATION_HEADER } from '../Particle/actions/integration/shared';
import { particleClient } from '../shared/client';
import { CHOOSE_PRODUCT_SCOPE } from '../Particle/actions/common';
import { checkName, checkProductIdOrSlug } from '../shared/limits';
import { checkDeviceLocator, checkLinkInScope, isEmptyLocator, type Checked, type DeviceChoice } from '../shared/locators';
import { expectList } from '../shared/shapes';

export interface TriggerState {
	integrationId?: string;
	/** The product the integration was created in; null for the sandbox. */
	integrationProduct?: string | null;
	/** The value of the verification header the integration sends. */
	secret?: string;
}

export interface TriggerTarget {
	/** undefined: the user's sandbox. */
	product?: string;
	eventName: string;
	/** Only this device's events (lower-case ID); undefined for all. */
	deviceId?: string;
}

/**
 * Product webhooks also have PRODUCT_ID, PRODUCT_VERSION and PRODUCT_USER_ID (webhook reference, "Pre-defined
 * variables"); sent as extra form fields, Particle's default fields stay ("Default data").
 */
const PRODUCT_FIELDS = { productID: '{{{PRODUCT_ID}}}', version: '{{{PRODUCT_VERSION}}}', userid: '{{{PRODUCT_USER_ID}}}' };
const NAME_MAX = 64;

interface ListedIntegration extends IDataObject {
	id?: string | number;
	url?: string;
	event?: string;
	deviceID?: string;
	headers?: IDataObject;
}

export function triggerState(context: Pick<IHookFunctions, 'getWorkflowStaticData'>): TriggerState {
	return context.getWorkflowStaticData('node') as TriggerState;
}

function forget(state: TriggerState): void {
	delete state.integrationId;
	delete state.integrationProduct;
	delete state.secret;
}

function fail(context: IHookFunctions, message: string, description?: string): never {
	throw new NodeOperationError(context.getNode(), message, { description });
}

function text(context: IHookFunctions, name: string, label: string): string {
	const value: unknown = context.getNodeParameter(name, '', { extractValue: true });
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (value === undefined || value === null) return '';
	return fail(context, `${label} must be text`);
}

/** Where the integration lives and what it listens to, checked before anything is sent. */
export function readTarget(context: IHookFunctions): TriggerTarget {
	const inProduct = context.getNodeParameter('deviceScope', 'sandbox') === 'product';
	const target: TriggerTarget = { eventName: text(context, 'eventName', 'Event Name') };
	if (inProduct) {
		target.product = text(context, 'product', 'Product');
		const problem = checkProductIdOrSlug(target.product);
		if (problem) fail(context, problem.message);
	}
	// Particle cannot call a webhook for every event: the name needs at least one character ("Event name").
	const nameProblem = checkName(target.eventName, 'Event Name');
	if (nameProblem) fail(context, nameProblem.message, 'Particle calls the webhook for the events whose name starts with this text.');
	const device = readDeviceFilter(context);
	if (device.violation) fail(context, device.violation.message);
	if (device.value !== undefined) {
		const problem = checkLinkInScope(device.value, inProduct ? { kind: 'product', product: target.product ?? '' } : { kind: 'sandbox' }, CHOOSE_PRODUCT_SCOPE);
		if (problem) fail(context, problem.message);
		target.deviceId = device.value.device;
	}
	return target;
}

/**
 * The Device filter: a picker value (list, Console link, ID) or the ID text of a workflow saved when it was a text
 * field; undefined when empty (every device).
 */
export function readDeviceFilter(context: IHookFunctions | IWebhookFunctions): Checked<DeviceChoice> | { value?: undefined; violation?: undefined } {
	const raw: unknown = context.getNodeParameter('deviceId', '');
	if (isEmptyLocator(raw)) return {};
	return checkDeviceLocator(raw, { field: 'Device', accepted: 'a device ID or a Console link of a device' });
}

function webhookUrl(context: IHookFunctions): string {
	const url = context.getNodeWebhookUrl('default');
	if (!url) return fail(context, 'n8n gave this node no webhook URL');
	return url;
}

/** A product webhook is not limited to a device by Particle (the console offers it for sandbox webhooks only). */
function deviceOfIntegration(target: TriggerTarget): string | undefined {
	return target.product === undefined ? target.deviceId : undefined;
}

async function listIntegrations(context: IHookFunctions, product: string | undefined): Promise<ListedIntegration[]> {
	const response = await particleClient(context).get<unknown>(integrationsPath(product));
	return expectList<ListedIntegration>(context, response, 'integration list');
}

/** Whether a listed integration is the one this node needs now (fields Particle does not list are not compared). */
function isCurrent(listed: ListedIntegration, url: string, target: TriggerTarget, secret: string): boolean {
	if (listed.url !== url || listed.event !== target.eventName) return false;
	if ('deviceID' in listed && (listed.deviceID || undefined) !== deviceOfIntegration(target)) return false;
	const headers = typeof listed.headers === 'object' && listed.headers !== null ? listed.headers : undefined;
	const sent = headers && Object.entries(headers).find(([name]) => name.toLowerCase() === VERIFICATION_HEADER.toLowerCase());
	return !headers || (sent !== undefined && sent[1] === secret);
}

async function deleteIntegration(context: IHookFunctions, product: string | undefined, id: string): Promise<void> {
	await particleClient(context).send('DELETE', integrationPath(product, id));
}

/**
 * checkExists: one list of the scope's integrations. The one whose ID is kept, at this node's URL, with the same event
 * (and device), is reused. Any other integration at this node's URL was made for it but cannot be used (a secret
 * this node no longer has, an old event name, an answer to create that never arrived), nor can the kept one at an old
 * URL: they are deleted, and create() makes one new integration, so there is never a second.
 */
export async function ownIntegrationExists(this: IHookFunctions): Promise<boolean> {
	const target = readTarget(this);
	const url = webhookUrl(this);
	const state = triggerState(this);
	const listed = await listIntegrations(this, target.product);
	const kept = listed.find((integration) => state.integrationId !== undefined && String(integration.id) === state.integrationId);
	const sameScope = (state.integrationProduct ?? undefined) === target.product;
	if (kept && sameScope && state.secret !== undefined && isCurrent(kept, url, target, state.secret)) return true;

	// "Listen for test event" runs this with the production static data and the test URL: the production integration
	// (kept, at another URL) is left alone, and only the test URL's integrations are replaced.
	const production = this.getMode() !== 'manual';
	const unusable = listed.filter((integration) => integration.url === url || (production && integration === kept));
	for (const integration of unusable) {
		this.logger.info(`Particle Webhook Trigger deletes integration ${String(integration.id)}, made for this node but not usable, and creates a new one`);
		await deleteIntegration(this, target.product, String(integration.id));
	}
	// Kept from another scope (the product changed while n8n was down): it would keep calling this node.
	if (production && state.integrationId !== undefined && !sameScope) await deleteOwnIntegration.call(this);
	forget(state);
	return false;
}

/** create: a webhook to this node's URL, carrying a new random secret in the verification header. */
export async function createOwnIntegration(this: IHookFunctions): Promise<boolean> {
	const target = readTarget(this);
	const secret = generateSecureToken();
	const device = deviceOfIntegration(target);
	const body: IDataObject = {
		integration_type: 'Webhook',
		event: target.eventName,
		url: webhookUrl(this),
		requestType: 'POST',
		name: `n8n: ${this.getWorkflow().name ?? this.getWorkflow().id ?? 'workflow'}`.slice(0, NAME_MAX),
		headers: { [VERIFICATION_HEADER]: secret },
		...(device !== undefined ? { deviceID: device } : {}),
		...(target.product !== undefined ? { form: PRODUCT_FIELDS } : {}),
	};
	const created = await particleClient(this).send<IDataObject>('POST', integrationsPath(target.product), { body });
	if (typeof created.id !== 'string' && typeof created.id !== 'number') {
		fail(this, 'Particle created the integration but answered without its ID', 'Activate the workflow again: the integration Particle made is found by its URL and replaced.');
	}
	const state = triggerState(this);
	state.integrationId = String(created.id);
	state.integrationProduct = target.product ?? null;
	state.secret = secret;
	return true;
}

/** delete: the kept integration, where it was created (the parameters may have changed since). */
export async function deleteOwnIntegration(this: IHookFunctions): Promise<boolean> {
	const state = triggerState(this);
	if (state.integrationId === undefined) return true;
	try {
		await deleteIntegration(this, state.integrationProduct ?? undefined, state.integrationId);
	} catch (error) {
		// Already gone (deleted in the console) is what was wanted.
		if ((error as { httpCode?: unknown }).httpCode !== '404') {
			this.logger.warn(`Particle Webhook Trigger could not delete integration ${state.integrationId}: ${(error as Error).message}`);
			return false;
		}
	}
	forget(state);
	return true;
}
