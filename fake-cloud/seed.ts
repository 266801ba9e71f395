/**
 * Builds a repeatable fleet from a seed: the same options always give the same ids, names, clients and tokens.
 */
import { seedServiceAgreement } from './admin';
import type { Clock } from './clock';
import { seedVariables, standardFunctions } from './firmware';
import { Fleet, type FakeDevice, type FakeProduct } from './fleet';
import { Rng } from './rng';

export interface SeedOptions {
	seed: number;
	devices: number;
	products: number;
	productDevices: number;
	/** The fleet's clock; its time now is the base for last_heard and friends. */
	clock: Clock;
}

/** Token values decided by the seed, so a CLI restart with the same seed keeps them. */
export interface SeededSecrets {
	userToken: string;
	apiUserToken: string;
	customerToken: string;
}

interface PlatformInfo {
	slug: string;
	serialPrefix: string;
	cellular: boolean;
	deviceOs: readonly string[];
}

export const PLATFORMS: Readonly<Record<number, PlatformInfo>> = {
	6: { slug: 'photon', serialPrefix: 'PH0', cellular: false, deviceOs: ['2.3.1', '1.5.2'] },
	12: { slug: 'argon', serialPrefix: 'ARG', cellular: false, deviceOs: ['4.2.0', '5.8.0'] },
	13: { slug: 'boron', serialPrefix: 'B40', cellular: true, deviceOs: ['4.2.0', '5.9.0', '6.1.1'] },
	23: { slug: 'bsom', serialPrefix: 'B52', cellular: true, deviceOs: ['5.9.0', '6.1.1'] },
	26: { slug: 'tracker', serialPrefix: 'T40', cellular: true, deviceOs: ['5.9.0', '6.2.1'] },
	32: { slug: 'p2', serialPrefix: 'P2K', cellular: false, deviceOs: ['5.9.0', '6.2.1'] },
};
const SANDBOX_PLATFORMS = [6, 12, 13, 23, 26, 32] as const;
const PRODUCT_KINDS = [
	{ name: 'Environment Monitor', platform: 12 },
	{ name: 'Asset Tracker', platform: 26 },
	{ name: 'Smart Irrigation', platform: 13 },
	{ name: 'Cold Chain', platform: 23 },
	{ name: 'Air Quality', platform: 32 },
	{ name: 'Water Meter', platform: 6 },
] as const;
const COLOURS = ['amber', 'birch', 'cedar', 'coral', 'dune', 'fern', 'flint', 'hazel'].concat(
	['iris', 'jade', 'lilac', 'moss', 'ochre', 'pearl', 'rust', 'slate'],
);
const PRODUCT_GROUPS = ['indoor', 'outdoor', 'beta'];

export const USER_EMAIL = 'operator@example.com';
export const USER_PASSWORD = 'fake-password';
/** Login clients Particle documents for the password grant. */
export const LOGIN_CLIENTS = [
	{ id: 'particle', secret: 'particle' },
	{ id: 'particle-api', secret: 'particle-api' },
];

export function seedFleet(options: SeedOptions): { fleet: Fleet; secrets: SeededSecrets } {
	const rng = new Rng(options.seed);
	// A separate stream for secrets: tokens and client credentials depend on the seed alone, not on fleet sizes.
	const secretRng = new Rng(options.seed ^ 0x5ec2e7);
	const secrets = { userToken: secretRng.hex(40), apiUserToken: secretRng.hex(40), customerToken: secretRng.hex(40) };
	const fleet = new Fleet({ id: rng.hex(24), username: USER_EMAIL, password: USER_PASSWORD }, options.clock);
	const now = options.clock.now();
	const org = { id: rng.hex(24), slug: 'acme-iot', name: 'Acme IoT' };
	fleet.organizations.push(org);
	for (const client of LOGIN_CLIENTS) fleet.oauthClients.push({ ...client, name: client.id, productId: null });

	const names = new NameMaker(rng);
	const device = (platform: number, index: number, now: number): FakeDevice =>
		makeDevice(rng, names.next(platform), platform, index, now);

	for (let i = 0; i < options.products; i++) {
		const kind = PRODUCT_KINDS[i % PRODUCT_KINDS.length];
		const round = Math.floor(i / PRODUCT_KINDS.length);
		const name = round === 0 ? kind.name : `${kind.name} ${round + 1}`;
		const id = 10001 + i;
		const slug = `${name.toLowerCase().replace(/\s+/g, '-')}-${id}`;
		const product: FakeProduct = {
			id,
			slug,
			name,
			platform_id: kind.platform,
			description: `Simulated ${name.toLowerCase()} fleet`,
			groups: [...PRODUCT_GROUPS],
			// The organization owns the first product; the user owns the rest.
			orgId: i === 0 ? org.id : null,
			customers: [1, 2].map((k) => ({ id: rng.hex(24), username: `customer${k}+${id}@example.com`, productId: id })),
			deviceProtection: 'disabled',
		};
		fleet.products.push(product);
		const clientId = `${slug}-${secretRng.digits(4)}`;
		fleet.oauthClients.push({ id: clientId, secret: secretRng.hex(40), name: `${name} server`, productId: id });
	}

	for (let i = 0; i < options.devices; i++) {
		const d = device(rng.pick(SANDBOX_PLATFORMS), i, now);
		d.owner = USER_EMAIL;
		fleet.devices.set(d.id, d);
	}

	for (const product of fleet.products) {
		for (let i = 0; i < options.productDevices; i++) {
			const d = device(product.platform_id, i, now);
			joinProduct(d, product, rng);
			d.groups = [['indoor'], ['outdoor'], ['outdoor', 'beta']][i % 3];
			// The first two devices belong to the product's two customers; the rest are unclaimed.
			d.owner = product.customers[i]?.username ?? null;
			fleet.devices.set(d.id, d);
		}
	}

	fleet.serviceAgreements.push(seedServiceAgreement('1001', 'user', 'User', now), seedServiceAgreement('2001', org.id, 'Organization', now));
	return { fleet, secrets };
}

/** Puts a device into a product with fresh product fields (also used by the import route). */
export function joinProduct(device: FakeDevice, product: FakeProduct, rng?: Rng): void {
	device.product_id = product.id;
	device.firmware_product_id = product.id;
	device.firmware_version = rng ? rng.int(1, 4) : 1;
	device.desired_firmware_version = null;
	device.targeted_firmware_release_version = null;
	device.groups = [];
	device.development = false;
	device.quarantined = false;
	device.denied = false;
}

/** Takes a device out of its product: it becomes an unclaimed sandbox device. */
export function leaveProduct(device: FakeDevice): void {
	device.product_id = device.platform_id;
	device.firmware_product_id = null;
	device.firmware_version = null;
	device.desired_firmware_version = null;
	device.targeted_firmware_release_version = null;
	device.groups = [];
	device.development = false;
	device.quarantined = false;
	device.owner = null;
}

/** `<platform>-<colour>-<nn>` with a fleet-wide counter, so names are unique. */
class NameMaker {
	private count = 0;
	constructor(private readonly rng: Rng) {}
	next(platform: number): string {
		this.count++;
		return `${PLATFORMS[platform].slug}-${this.rng.pick(COLOURS)}-${String(this.count).padStart(2, '0')}`;
	}
}

/** Every fourth device of a group (index 1, 5, 9, …) starts offline. */
export function startsOffline(index: number): boolean {
	return index % 4 === 1;
}

function makeDevice(rng: Rng, name: string, platform: number, index: number, now: number): FakeDevice {
	const info = PLATFORMS[platform];
	const online = !startsOffline(index);
	const lastHeard = online ? now - rng.int(5, 300) * 1000 : now - rng.int(2, 72) * 3_600_000;
	const handshake = lastHeard - rng.int(1, 48) * 3_600_000;
	const device: FakeDevice = {
		id: rng.hex(24),
		name,
		platform_id: platform,
		product_id: platform,
		online,
		last_heard: new Date(lastHeard).toISOString(),
		last_handshake_at: new Date(handshake).toISOString(),
		last_ip_address: `203.0.113.${rng.int(1, 254)}`,
		last_app: null,
		cellular: info.cellular,
		serial_number: `${info.serialPrefix}${rng.hex(12).toUpperCase()}`,
		system_firmware_version: rng.pick(info.deviceOs),
		notes: null,
		status: 'normal',
		firmware_updates_enabled: true,
		firmware_updates_forced: false,
		variables: seedVariables(rng),
		functions: standardFunctions(),
		owner: null,
		signaling: false,
		updated_at: new Date(handshake).toISOString(),
		groups: [],
		firmware_version: null,
		firmware_product_id: null,
		desired_firmware_version: null,
		targeted_firmware_release_version: null,
		development: false,
		quarantined: false,
		denied: false,
		deviceProtection: 'disabled',
		slowDelayMs: null,
		calls: [],
	};
	if (info.cellular) {
		device.iccid = `8934076500${rng.digits(10)}`;
		device.imei = `35${rng.digits(13)}`;
	} else {
		device.mac_wifi = Array.from({ length: 6 }, () => rng.hex(2)).join(':');
	}
	return device;
}

/** A device that appears on import with an id the fleet never saw (Particle knows every device it made). */
export function newImportedDevice(id: string, product: FakeProduct, now: number): FakeDevice {
	const rng = new Rng(parseInt(id.slice(-8), 16) || 1);
	const device = makeDevice(rng, `imported-${id.slice(-6)}`, product.platform_id, 1, now);
	device.id = id;
	device.last_heard = null;
	device.last_handshake_at = null;
	joinProduct(device, product);
	return device;
}
