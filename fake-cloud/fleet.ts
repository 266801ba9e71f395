/**
 * The in-memory state of the fake cloud. Tests may read and change it directly; the routes read it on every request.
 */
import { EventEmitter } from 'node:events';

import type { FakeApiUser, FakeServiceAgreement, FakeUsageReport } from './admin';
import { Clock } from './clock';
import type { DeviceLatency } from './latency';
import type { FakeSimState } from './sims';
import { StreamHub } from './streams';
import { VitalsStore, type VitalsRecord } from './vitals';

export type VariableType = 'int32' | 'double' | 'string' | 'bool';
export type VariableValue = number | string | boolean;

export interface FakeVariable {
	type: VariableType;
	value: VariableValue;
}

/** A cloud function as the firmware implements it: argument in, int out; `now` is the fake's clock (ms). */
export type FakeFunction = (arg: string, device: FakeDevice, now: number) => number;

export interface FunctionCall {
	name: string;
	arg: string;
	return_value: number;
	at: string;
}

export interface FakeDevice {
	id: string;
	name: string;
	platform_id: number;
	/** The product id, or the platform id for a sandbox device (as Particle reports it). */
	product_id: number;
	online: boolean;
	last_heard: string | null;
	last_handshake_at: string | null;
	last_ip_address: string;
	last_app: string | null;
	cellular: boolean;
	serial_number: string;
	iccid?: string;
	imei?: string;
	mac_wifi?: string;
	system_firmware_version: string;
	notes: string | null;
	status: 'normal';
	firmware_updates_enabled: boolean;
	firmware_updates_forced: boolean;
	variables: Record<string, FakeVariable>;
	functions: Record<string, FakeFunction>;
	/** Email of the claiming user or customer; null when unclaimed. */
	owner: string | null;
	signaling: boolean;
	updated_at: string;
	// Product fields: only meaningful (and only serialized) while the device belongs to a product.
	groups: string[];
	firmware_version: number | null;
	firmware_product_id: number | null;
	desired_firmware_version: number | null;
	targeted_firmware_release_version: number | null;
	development: boolean;
	quarantined: boolean;
	denied: boolean;
	/** `device_protection.status`: a protected device cannot be imported into a product without Device Protection. */
	deviceProtection: DeviceProtection;
	// Simulation only, never serialized.
	/** When set, variable/function/ping calls wait this long and then answer 408. */
	slowDelayMs: number | null;
	/** Every function call the device executed, oldest first. */
	calls: FunctionCall[];
}

/** The reference's example values for a device's and a product's `device_protection`. */
export type DeviceProtection = 'active' | 'disabled';

export interface FakeCustomer {
	id: string;
	username: string;
	productId: number;
	/** Absent for a shadow customer (`no_password`) and for seeded ones. */
	password?: string;
}

export interface FakeProduct {
	id: number;
	slug: string;
	name: string;
	platform_id: number;
	description: string;
	groups: string[];
	/** Owning organization, or null when the user owns the product. */
	orgId: string | null;
	customers: FakeCustomer[];
	/** `device_protection` of the product: only an active one takes protected devices. */
	deviceProtection: DeviceProtection;
}

export interface FakeOrganization {
	id: string;
	slug: string;
	name: string;
}

export interface FakeUser {
	id: string;
	username: string;
	password: string;
}

export interface FakeOAuthClient {
	id: string;
	secret: string;
	name: string;
	/** Product clients mint product and customer tokens; null = a login client (`particle`, `particle-api`). */
	productId: number | null;
}

export interface FakeClaimCode {
	claim_code: string;
	/** Email of the user or customer the code claims devices for; null when a product token asked. */
	owner: string | null;
	productId: number | null;
	iccid: string | null;
	imei: string | null;
	created_at: string;
}

/** One event as an SSE stream would carry it. */
export interface FleetEvent {
	name: string;
	data: string | null;
	ttl: number;
	published_at: string;
	coreid: string;
	private?: boolean;
	productID?: number;
	/** Product firmware version of the device, on its events in a product (Particle's firmware-update-events page). */
	version?: number;
	userid?: string;
}

/** One version of a product's firmware, with the fields of the reference's "Get product firmware". */
export interface FakeProductFirmware {
	_id: string;
	version: number;
	title: string;
	description: string;
	/** The uploaded file's name. */
	name: string;
	size: number;
	product_default: boolean;
	/** The groups this version is released to. */
	groups: string[];
	mandatory: boolean;
	/** How the version was last released (`intelligent` of the release). */
	intelligent: boolean;
	uploaded_on: string;
	updated_at: string | null;
	uploaded_by: string;
	// Simulation only, never serialized.
	/** Released at least once (only a version never released may be deleted). */
	everReleased: boolean;
	/** The bytes uploaded; none for the versions the seeded fleet already runs. */
	bytes: Buffer | null;
}

/** What a device group has besides its name (the names are the product's `groups`). */
export interface FakeGroupInfo {
	description: string;
	color: string;
}

export interface FleetEventMap {
	event: [FleetEvent];
}

export class Fleet {
	readonly devices = new Map<string, FakeDevice>();
	readonly products: FakeProduct[] = [];
	readonly organizations: FakeOrganization[] = [];
	readonly oauthClients: FakeOAuthClient[] = [];
	readonly claimCodes: FakeClaimCode[] = [];
	/** Events published through the API, oldest first. */
	readonly publishedEvents: FleetEvent[] = [];
	/** Emits `event` for API publishes and online/offline changes; an SSE endpoint can subscribe here. */
	readonly events = new EventEmitter<FleetEventMap>();
	/** Vitals history (generated on demand) and the records devices reported. */
	readonly vitals = new VitalsStore();
	/** Open event streams. */
	readonly streams = new StreamHub();
	/** Programmatic team members of products and organizations. */
	readonly apiUsers: FakeApiUser[] = [];
	readonly serviceAgreements: FakeServiceAgreement[] = [];
	readonly usageReports: FakeUsageReport[] = [];
	/** SIM cards changed through the API (deactivated, reactivated, released), by ICCID; absent: as seeded, active. */
	readonly simStates = new Map<string, FakeSimState>();
	/** How long a new usage report stays pending; 0 = available the next time it is read. */
	usageReportDelayMs = 0;
	/** Product firmware versions by product id; routes/firmware.ts fills a product's list on first use. */
	readonly productFirmware = new Map<number, FakeProductFirmware[]>();
	/** Description and color of the product's groups, by product id and group name. */
	readonly groupInfo = new Map<number, Map<string, FakeGroupInfo>>();
	/** Round-trip times of device calls (latency.ts applyDeviceLatency); null = they answer at once. */
	deviceLatency: DeviceLatency | null = null;

	/** Where every simulated time comes from; the server's knobs set it. */
	constructor(
		readonly user: FakeUser,
		readonly clock: Clock = new Clock(),
	) {}

	/** Devices that belong to no product. */
	sandboxDevices(): FakeDevice[] {
		return [...this.devices.values()].filter((d) => this.productOf(d) === undefined);
	}

	productDevices(productIdOrSlug: number | string): FakeDevice[] {
		const product = this.findProduct(productIdOrSlug);
		if (!product) return [];
		return [...this.devices.values()].filter((d) => d.product_id === product.id);
	}

	/** A numeric value (or all-digit string) is an id, anything else a slug. */
	findProduct(idOrSlug: number | string): FakeProduct | undefined {
		const text = String(idOrSlug);
		if (/^\d+$/.test(text)) return this.products.find((p) => p.id === Number(text));
		return this.products.find((p) => p.slug === text);
	}

	productOf(device: FakeDevice): FakeProduct | undefined {
		return this.products.find((p) => p.id === device.product_id);
	}

	/** Organizations are addressed by id or slug, like products. */
	findOrganization(idOrSlug: string): FakeOrganization | undefined {
		return this.organizations.find((o) => o.id === idOrSlug || o.slug === idOrSlug);
	}

	organizationOf(product: FakeProduct): FakeOrganization | undefined {
		return this.organizations.find((o) => o.id === product.orgId);
	}

	findCustomer(productId: number, email: string): FakeCustomer | undefined {
		return this.findProduct(productId)?.customers.find((c) => c.username === email);
	}

	/** The customer leaves its product; its unused claim codes go, its devices become unclaimed (effects unconfirmed). */
	removeCustomer(customer: FakeCustomer): void {
		const product = this.findProduct(customer.productId);
		if (product) product.customers.splice(product.customers.indexOf(customer), 1);
		const mine = (owner: string | null, productId: number | null) => owner === customer.username && productId === customer.productId;
		for (let index = this.claimCodes.length - 1; index >= 0; index--) {
			if (mine(this.claimCodes[index].owner, this.claimCodes[index].productId)) this.claimCodes.splice(index, 1);
		}
		for (const device of this.devices.values()) if (mine(device.owner, device.product_id)) device.owner = null;
	}

	deviceNamed(name: string): FakeDevice | undefined {
		return [...this.devices.values()].find((d) => d.name === name);
	}

	/** Throws for an unknown id: a test asking for a device that isn't there is a bug in the test. */
	requireDevice(deviceId: string): FakeDevice {
		const device = this.devices.get(deviceId);
		if (!device) throw new Error(`fake cloud: no device ${deviceId}`);
		return device;
	}

	setOnline(deviceId: string, online: boolean, now = new Date(this.clock.now())): void {
		const device = this.requireDevice(deviceId);
		// A deactivated SIM cannot reach a cell tower: the device stays offline until the SIM is reactivated.
		if (online && this.hasNoService(device)) return;
		if (online && !device.online) device.last_handshake_at = now.toISOString();
		if (online) device.last_heard = now.toISOString();
		if (device.online === online) return;
		device.online = online;
		this.emitSystemEvent(device, 'spark/status', online ? 'online' : 'offline', now);
	}

	/**
	 * The device lost its session without the cloud noticing and now starts a new one. Particle's docs: "If the device
	 * comes online and the cloud did not know it was previously offline, the offline will be generated immediately
	 * before the online". An offline device just comes online.
	 */
	restartSession(deviceId: string, now = new Date(this.clock.now())): void {
		const device = this.requireDevice(deviceId);
		if (device.online) {
			device.online = false;
			this.emitSystemEvent(device, 'spark/status', 'offline', now);
		}
		this.setOnline(deviceId, true, now);
	}

	/**
	 * An event the cloud publishes for a device (`spark/status`, the vitals update), with the fields Particle's docs show
	 * on the device, product and organization streams: data, ttl 60, published_at, coreid, and in a product productID
	 * and the firmware version.
	 */
	private emitSystemEvent(device: FakeDevice, name: string, data: string, now: Date): void {
		const product = this.productOf(device);
		this.events.emit('event', {
			name,
			data,
			ttl: 60,
			published_at: now.toISOString(),
			coreid: device.id,
			productID: product?.id,
			...(product && device.firmware_version !== null ? { version: device.firmware_version } : {}),
		});
	}

	setVariable(deviceId: string, name: string, value: VariableValue): void {
		const device = this.requireDevice(deviceId);
		const existing = device.variables[name];
		device.variables[name] = { type: existing?.type ?? typeOfValue(value), value };
	}

	/** The device reports vitals now (changed by `patch`): it is heard from, and the stream carries the update. */
	reportVitals(deviceId: string, patch: Record<string, unknown> = {}, now = new Date(this.clock.now())): VitalsRecord {
		const device = this.requireDevice(deviceId);
		const record = this.vitals.report(device, now.getTime(), patch);
		device.last_heard = now.toISOString();
		// The docs' "device vitals event": the payload of /last as JSON text, published with the record's time.
		this.emitSystemEvent(device, 'spark/device/diagnostics/update', JSON.stringify(record.payload), now);
		return record;
	}

	/** A cellular device whose SIM is deactivated or released: it cannot connect or publish. */
	hasNoService(device: FakeDevice): boolean {
		return device.iccid !== undefined && this.simStates.get(device.iccid)?.connected === false;
	}

	publish(event: FleetEvent): void {
		const device = this.devices.get(event.coreid);
		if (device && this.hasNoService(device)) return;
		this.publishedEvents.push(event);
		this.events.emit('event', event);
	}
}

function typeOfValue(value: VariableValue): VariableType {
	if (typeof value === 'boolean') return 'bool';
	if (typeof value === 'string') return 'string';
	return Number.isInteger(value) ? 'int32' : 'double';
}
