/**
 * Console links as Particle's Console and CLI write them (particle-cli's rollout links: /devices/<id>,
 * /<product slug>/devices/<id>, /<product>/env/edit, /orgs/<org>/env/edit; the docs' /orgs/<org>/team), read by the
 * pure locator module. The regexes n8n uses in the editor (validation, extractValue) and the run-time reader must
 * agree: a link the editor accepts is read, one it refuses is refused.
 */
import {
	checkDeviceLocator,
	checkLinkInScope,
	checkOrganizationLocator,
	checkProductLocator,
	deviceUrlMode,
	DEVICE_URL_REGEX,
	isEmptyLocator,
	organizationUrlMode,
	ORGANIZATION_URL_REGEX,
	productUrlMode,
	PRODUCT_URL_REGEX,
} from '../../nodes/shared/locators';

const ID = '0123456789abcdef01234567';
const url = (value: string) => ({ __rl: true, mode: 'url', value });
/** As n8n's editor check runs a mode's regex: wrapped in ^...$. */
const editorAccepts = (regex: RegExp, value: string) => new RegExp(`^${regex.source}$`).test(value);
/** As n8n's extractValue runs it: the one group. */
const extracted = (regex: RegExp, value: string) => regex.exec(value)?.[1];

describe('device links', () => {
	it.each([
		[`https://console.particle.io/devices/${ID}`, undefined],
		[`https://console.particle.io/devices/${ID.toUpperCase()}/environment`, undefined],
		[`https://console.particle.io/devices/${ID}?tab=events#top`, undefined],
		[`https://console.staging.particle.io/devices/${ID}`, undefined],
		[`https://console.particle.io/my-product-v1/devices/${ID}`, 'my-product-v1'],
		[`https://console.particle.io/12345/devices/${ID}/env/edit`, '12345'],
	])('reads %s (product %s)', (link, product) => {
		expect(editorAccepts(DEVICE_URL_REGEX, link)).toBe(true);
		expect(extracted(DEVICE_URL_REGEX, link)?.toLowerCase()).toBe(ID);
		expect(checkDeviceLocator(url(link))).toEqual({ value: { by: 'id', device: ID, ...(product ? { linkProduct: product } : {}) } });
	});

	it.each([
		`https://example.com/devices/${ID}`,
		`http://console.particle.io.evil.example/devices/${ID}`,
		'https://console.particle.io/devices',
		'https://console.particle.io/devices/abc',
		`https://console.particle.io/orgs/acme/devices/${ID}`,
		`https://console.particle.io/devices/${ID}x`,
		`console.particle.io/devices/${ID}`,
	])('refuses %s, in the editor and at run time', (link) => {
		expect(editorAccepts(DEVICE_URL_REGEX, link)).toBe(false);
		expect(checkDeviceLocator(url(link)).violation?.field).toBe('Device');
	});

	it('reads a saved plain string as an ID, and By Name only where names are offered', () => {
		expect(checkDeviceLocator(` ${ID.toUpperCase()} `)).toEqual({ value: { by: 'id', device: ID } });
		expect(checkDeviceLocator({ __rl: true, mode: 'name', value: 'greenhouse' }, { names: true })).toEqual({ value: { by: 'name', device: 'greenhouse' } });
		expect(checkDeviceLocator({ __rl: true, mode: 'name', value: 'greenhouse' }).violation?.message).toBe('Device ID must be 24 hexadecimal characters (got 10 characters)');
		expect(checkDeviceLocator(42, { field: 'Device ID', accepted: 'a single device ID' }).violation?.message).toBe('Device ID must be 24 hexadecimal characters (got 2 characters)');
		expect(checkDeviceLocator({ a: 1 }, { field: 'Device ID', accepted: 'a single device ID' }).violation?.message).toBe('Device ID must be a single device ID (got an object)');
	});

	it('knows an empty locator from a filled one', () => {
		expect([undefined, '', '  ', { __rl: true, mode: 'list', value: '' }, { mode: 'id', value: null }].map(isEmptyLocator)).toEqual([true, true, true, true, true]);
		expect([ID, { __rl: true, mode: 'list', value: ID }, 0].map(isEmptyLocator)).toEqual([false, false, false]);
	});
});

describe('a product device link against the chosen scope', () => {
	const choice = { by: 'id' as const, device: ID, linkProduct: 'my-product-v1' };
	const fix = (product: string) => `Choose ${product}.`;
	it('refuses it for the sandbox and for another product of the same kind; lets an ID against a slug through', () => {
		expect(checkLinkInScope(choice, { kind: 'sandbox' }, fix)?.message).toMatch(/product "my-product-v1", but this node is set to your sandbox devices\. Choose my-product-v1\.$/);
		expect(checkLinkInScope(choice, { kind: 'product', product: 'other-product' }, fix)?.message).toMatch(/not in the chosen product "other-product"/);
		expect(checkLinkInScope({ ...choice, linkProduct: '12' }, { kind: 'product', product: '13' }, fix)).not.toBeNull();
		expect(checkLinkInScope(choice, { kind: 'product', product: 'my-product-v1' }, fix)).toBeNull();
		expect(checkLinkInScope(choice, { kind: 'product', product: '12345' }, fix)).toBeNull();
		expect(checkLinkInScope({ by: 'id', device: ID }, { kind: 'product', product: '12345' }, fix)).toBeNull();
	});
});

describe('product links', () => {
	it.each([
		['https://console.particle.io/my-product-v1', 'my-product-v1'],
		['https://console.particle.io/my-product-v1/devices', 'my-product-v1'],
		[`https://console.particle.io/my-product-v1/devices/${ID}`, 'my-product-v1'],
		['https://console.particle.io/12345/env/edit', '12345'],
		['https://console.staging.particle.io/environment-monitor-12345/settings?x=1', 'environment-monitor-12345'],
	])('reads %s as %s', (link, product) => {
		expect(editorAccepts(PRODUCT_URL_REGEX, link)).toBe(true);
		expect(extracted(PRODUCT_URL_REGEX, link)).toBe(product);
		expect(checkProductLocator(url(link))).toEqual({ value: product });
	});

	it.each([
		'https://console.particle.io/',
		'https://console.particle.io',
		`https://console.particle.io/devices/${ID}`,
		'https://console.particle.io/orgs/acme-iot/team',
		'https://console.particle.io/products/new',
		'https://console.particle.io/events',
		'https://console.particle.io/Upper-Case',
		'https://console.particle.io/0123',
		'https://particle.io/my-product-v1',
	])('refuses %s, in the editor and at run time', (link) => {
		expect(editorAccepts(PRODUCT_URL_REGEX, link)).toBe(false);
		expect(checkProductLocator(url(link)).violation?.field).toBe('Product');
	});

	it('reads IDs, slugs and saved plain text outside By URL, as before', () => {
		expect(checkProductLocator({ __rl: true, mode: 'id', value: ' 12345 ' })).toEqual({ value: '12345' });
		expect(checkProductLocator('my-product-v1')).toEqual({ value: 'my-product-v1' });
		expect(checkProductLocator(12345)).toEqual({ value: '12345' });
		expect(checkProductLocator({ __rl: true, mode: 'id', value: {} }).violation?.message).toBe('Product must be a product ID or slug (got an object)');
	});
});

describe('organization links', () => {
	it.each([
		['https://console.particle.io/orgs/acme-iot/team', 'acme-iot'],
		['https://console.particle.io/orgs/brave-technology-coop/team/api-user/create', 'brave-technology-coop'],
		['https://console.particle.io/orgs/my-org/env/edit', 'my-org'],
		['https://console.particle.io/orgs/acme-iot', 'acme-iot'],
	])('reads %s as %s', (link, organization) => {
		expect(editorAccepts(ORGANIZATION_URL_REGEX, link)).toBe(true);
		expect(extracted(ORGANIZATION_URL_REGEX, link)).toBe(organization);
		expect(checkOrganizationLocator(url(link))).toEqual({ value: organization });
	});

	it.each(['https://console.particle.io/orgs/', 'https://console.particle.io/acme-iot/team', 'https://example.com/orgs/acme-iot'])('refuses %s', (link) => {
		expect(editorAccepts(ORGANIZATION_URL_REGEX, link)).toBe(false);
		expect(checkOrganizationLocator(url(link)).violation?.field).toBe('Organization');
	});
});

describe('the By URL modes n8n gets', () => {
	it.each([
		['device', deviceUrlMode(), DEVICE_URL_REGEX],
		['product', productUrlMode(), PRODUCT_URL_REGEX],
		['organization', organizationUrlMode(), ORGANIZATION_URL_REGEX],
	])('%s: named url (how n8n knows a URL mode), checked and extracted with the same regex, one group', (_what, mode, regex) => {
		expect(mode).toMatchObject({ displayName: 'By URL', name: 'url', extractValue: { type: 'regex', regex: regex.source } });
		expect(mode.validation).toEqual([{ type: 'regex', properties: { regex: regex.source, errorMessage: expect.stringMatching(/Console link/) } }]);
		// n8n's extractValue refuses a regex whose match has other than exactly one group.
		expect(new RegExp(`${regex.source}|`).exec('')).toHaveLength(2);
		expect(editorAccepts(regex, mode.placeholder!.replace(/^e\.g\. /, ''))).toBe(true);
	});
});
