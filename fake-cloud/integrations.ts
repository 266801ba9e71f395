/**
 * Webhook integrations of the user's sandbox and of products (Particle's Cloud API reference, "Integrations": Create a
 * Webhook, List integrations, Get integration, Edit a Webhook, Delete an integration, Test an integration), and the hub
 * that hands each matching event to webhooks.ts for delivery.
 *
 * Which events trigger a webhook (webhook reference, "Event name", "Device", "Where to configure"): names that start
 * with its `event` (case-sensitive prefix); for a sandbox webhook, events of the devices claimed to the user and the
 * user's own API publishes; for a product webhook, the product's events; with `deviceID`, that device's only. Webhook
 * events (`hook-sent`, `hook-error`, `hook-response`) never trigger webhooks. The hub emits them on the fleet's event
 * bus, as Particle shows them on the owner's and the product's streams (coreid `particle-internal`).
 */
import { randomBytes } from 'node:crypto';

import type { Fleet, FleetEvent } from './fleet';
import {
	buildWebhookRequest,
	RESPONSE_MAX_BYTES,
	WebhookSender,
	type DeliveryReport,
	type TemplateEvent,
	type WebhookDelivery,
	type WebhookTemplate,
	type WebhookTiming,
} from './webhooks';

export type IntegrationOwner = { kind: 'user' } | { kind: 'product'; productId: number };

export const REQUEST_TYPES = ['GET', 'POST', 'PUT', 'DELETE'] as const;

/** What a Create or Edit request configures (the reference's parameters of "Create a Webhook"). */
export interface WebhookConfig extends WebhookTemplate {
	event: string;
	requestType: (typeof REQUEST_TYPES)[number];
	deviceID?: string;
	name?: string;
	disabled?: boolean;
	responseTopic?: string;
	errorResponseTopic?: string;
	responseTemplate?: string;
}

/** One entry of `integration.logs` (Get integration: "the last 10 HTTP request/responses"; shape unconfirmed). */
export interface IntegrationLog {
	time: string;
	event: { name: string; data: string | null; coreid: string; published_at: string };
	request: { method: string; url: string; headers: Record<string, string>; body?: string };
	response?: { status: number; body: string };
	error?: string;
}

export interface FakeIntegration extends WebhookConfig {
	id: string;
	integration_type: 'Webhook';
	created_at: string;
	owner: IntegrationOwner;
	logs: IntegrationLog[];
}

const HOOK_EVENT = /^hook-(sent|error|response)\//;
const RESPONSE_CHUNK_BYTES = 512;
const LOGS_KEPT = 10;

export class IntegrationHub {
	readonly integrations: FakeIntegration[] = [];
	readonly sender: WebhookSender;
	/** Events the hub emitted itself (custom response topics included): they never trigger webhooks. */
	private readonly ownEvents = new WeakSet<FleetEvent>();
	private readonly listener = (event: FleetEvent) => this.onEvent(event);

	constructor(private readonly fleet: Fleet) {
		this.sender = new WebhookSender((report) => this.onAttempt(report));
		fleet.events.on('event', this.listener);
	}

	ownedBy(owner: IntegrationOwner): FakeIntegration[] {
		return this.integrations.filter((integration) => sameOwner(integration.owner, owner));
	}

	find(owner: IntegrationOwner, id: string): FakeIntegration | undefined {
		return this.ownedBy(owner).find((integration) => integration.id === id);
	}

	add(owner: IntegrationOwner, config: WebhookConfig): FakeIntegration {
		const integration: FakeIntegration = {
			...config,
			id: randomBytes(12).toString('hex'),
			integration_type: 'Webhook',
			created_at: new Date(this.fleet.clock.now()).toISOString(),
			owner,
			logs: [],
		};
		this.integrations.push(integration);
		return integration;
	}

	/** Edit a Webhook: "The configuration replaces the entire previous webhook configuration. It does not merge in changes." */
	replace(integration: FakeIntegration, config: WebhookConfig): void {
		for (const key of Object.keys(integration) as Array<keyof FakeIntegration>) {
			if (!['id', 'integration_type', 'created_at', 'owner', 'logs'].includes(key)) delete integration[key];
		}
		Object.assign(integration, config);
	}

	remove(integration: FakeIntegration): void {
		this.integrations.splice(this.integrations.indexOf(integration), 1);
	}

	/** Test an integration: a test event to its target, the answer awaited ({ pass, data, error }). */
	async test(integration: FakeIntegration): Promise<{ pass: boolean; data: string | null; error?: string }> {
		// What Particle's test event carries is not documented: the webhook's own event name and the data "test-event".
		const event = this.templateEvent(integration, {
			name: integration.event,
			data: 'test-event',
			ttl: 60,
			published_at: new Date(this.fleet.clock.now()).toISOString(),
			coreid: 'api',
		});
		const request = buildWebhookRequest(integration, event);
		if ('error' in request) return { pass: false, data: null, error: request.error };
		const answer = await this.sender.sendOnce(request, integration.rejectUnauthorized !== false);
		const pass = answer.status >= 200 && answer.status < 300;
		return pass ? { pass, data: answer.body === '' ? null : answer.body } : { pass, data: null, error: answer.error };
	}

	close(): void {
		this.fleet.events.off('event', this.listener);
		this.sender.close();
	}

	private onEvent(event: FleetEvent): void {
		if (HOOK_EVENT.test(event.name) || this.ownEvents.has(event)) return;
		for (const integration of this.integrations) {
			if (!this.triggers(integration, event)) continue;
			const templateEvent = this.templateEvent(integration, event);
			const request = buildWebhookRequest(integration, templateEvent);
			if ('error' in request) {
				this.emitHookEvent(integration, `hook-error/${event.name}/0`, request.error);
				continue;
			}
			const delivery: WebhookDelivery = { integrationId: integration.id, event: event.name, request, attempts: [], state: 'pending' };
			// Before sending: a throttled host reports the skipped attempt at once.
			deliveryEvents.set(delivery, templateEvent);
			this.sender.deliver(delivery, integration.rejectUnauthorized !== false);
		}
	}

	private triggers(integration: FakeIntegration, event: FleetEvent): boolean {
		if (integration.disabled === true || !event.name.startsWith(integration.event)) return false;
		if (integration.deviceID !== undefined && event.coreid !== integration.deviceID) return false;
		if (integration.owner.kind === 'product') return event.productID === integration.owner.productId;
		const device = this.fleet.devices.get(event.coreid);
		if (device) return device.owner === this.fleet.user.username;
		return event.productID === undefined && event.userid === this.fleet.user.id;
	}

	private templateEvent(integration: FakeIntegration, event: FleetEvent): TemplateEvent {
		const device = this.fleet.devices.get(event.coreid);
		const product = integration.owner.kind === 'product';
		return {
			name: event.name,
			data: event.data,
			published_at: event.published_at,
			coreid: event.coreid,
			eventId: randomBytes(12).toString('hex'),
			productId: event.productID ?? device?.product_id,
			...(product ? { productUserId: event.userid ?? '', productVersion: event.version } : {}),
		};
	}

	/** After each attempt: the integration's logs, and the hook-sent / hook-response / hook-error events. */
	private onAttempt({ delivery, attempt, answer }: DeliveryReport): void {
		const integration = this.integrations.find((candidate) => candidate.id === delivery.integrationId);
		const event = deliveryEvents.get(delivery);
		if (!integration || !event) return;
		integration.logs.unshift({
			time: new Date(this.fleet.clock.now()).toISOString(),
			event: { name: event.name, data: event.data, coreid: event.coreid, published_at: event.published_at },
			request: delivery.request,
			...(answer && answer.status !== 0 ? { response: { status: answer.status, body: answer.body } } : {}),
			...(attempt.error ? { error: attempt.error } : {}),
		});
		integration.logs.splice(LOGS_KEPT);
		if (attempt.outcome !== 'delivered') {
			this.emitHookEvent(integration, this.topic(integration.errorResponseTopic ?? 'hook-error/{{PARTICLE_EVENT_NAME}}', event, 0), attempt.error ?? '');
			return;
		}
		this.emitHookEvent(integration, `hook-sent/${event.name}`, '');
		const body = answer?.body ?? '';
		const defaultTopic = integration.owner.kind === 'product' ? '{{PARTICLE_DEVICE_ID}}/hook-response/{{PARTICLE_EVENT_NAME}}' : 'hook-response/{{PARTICLE_EVENT_NAME}}';
		const chunks = chunk(body.slice(0, RESPONSE_MAX_BYTES));
		chunks.forEach((data, index) => this.emitHookEvent(integration, this.topic(integration.responseTopic ?? defaultTopic, event, index), data));
	}

	private topic(template: string, event: TemplateEvent, index: number): string {
		const name = template.replace(/\{\{\{?\s*(PARTICLE_DEVICE_ID|PARTICLE_EVENT_NAME)\s*\}?\}\}/g, (_, variable: string) =>
			variable === 'PARTICLE_DEVICE_ID' ? event.coreid : event.name,
		);
		return `${name}/${index}`;
	}

	private emitHookEvent(integration: FakeIntegration, name: string, data: string): void {
		const hookEvent: FleetEvent = {
			name,
			data,
			ttl: 60,
			published_at: new Date(this.fleet.clock.now()).toISOString(),
			coreid: 'particle-internal',
			...(integration.owner.kind === 'product' ? { productID: integration.owner.productId } : { userid: this.fleet.user.id }),
		};
		this.ownEvents.add(hookEvent);
		this.fleet.events.emit('event', hookEvent);
	}
}

/** The template event each delivery was made from, for its logs and hook events. */
const deliveryEvents = new WeakMap<WebhookDelivery, TemplateEvent>();

function sameOwner(a: IntegrationOwner, b: IntegrationOwner): boolean {
	return a.kind === 'user' ? b.kind === 'user' : b.kind === 'product' && a.productId === b.productId;
}

/** A response body as Particle publishes it to devices: 512-byte parts (the last one shorter); none when empty. */
function chunk(body: string): string[] {
	const bytes = Buffer.from(body, 'utf8');
	const parts: string[] = [];
	for (let at = 0; at < bytes.length; at += RESPONSE_CHUNK_BYTES) parts.push(bytes.subarray(at, at + RESPONSE_CHUNK_BYTES).toString('utf8'));
	return parts;
}

const hubs = new WeakMap<Fleet, IntegrationHub>();

/** The fleet's integrations, made on first use (so a cloud without webhooks never listens to its events for them). */
export function integrationsOf(fleet: Fleet): IntegrationHub {
	let hub = hubs.get(fleet);
	if (!hub) {
		hub = new IntegrationHub(fleet);
		hubs.set(fleet, hub);
	}
	return hub;
}

/** Stops every delivery and retry of the fleet's integrations, if it has any. */
export function closeIntegrations(fleet: Fleet): void {
	hubs.get(fleet)?.close();
}

export type { WebhookDelivery, WebhookTiming };
