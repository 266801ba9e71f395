// Reference: particle-api-js (src/Particle.js) listDeviceOsVersions and getDeviceOsVersion: GET /v1/device-os/versions[/:version]; not in the Cloud API reference at particle-iot/docs 555a74a
/**
 * Device OS versions: a small table of real release numbers with the platforms each supports (made up here, not
 * Particle's list). The list answers `{ versions, meta }` and filters by `platform_id` and `internal_version`; one
 * version adds its `modules` when a platform is given. The shapes are those of Particle's docs tooling
 * (particle-iot/docs scripts: version, internal_version, state, base_url, supported_platforms, modules) (unconfirmed).
 * No scope is documented: any valid token may read them (unconfirmed).
 */
import { badRequest, notFound } from '../errors';
import { queryValue } from '../fields';
import { ok } from '../http';
import { pageOf } from '../paging';
import { authed, type RequestContext, type Route } from '../router';

interface FakeDeviceOsVersion {
	version: string;
	internal_version: number;
	state: 'released' | 'pre_release';
	supported_platforms: number[];
}

const GEN3 = [12, 13, 15, 23, 25, 26, 28, 32, 35];

/** Newest first. */
export const DEVICE_OS_VERSIONS: readonly FakeDeviceOsVersion[] = [
	{ version: '6.3.0-rc.1', internal_version: 6300, state: 'pre_release', supported_platforms: GEN3 },
	{ version: '6.2.1', internal_version: 6201, state: 'released', supported_platforms: GEN3 },
	{ version: '6.1.1', internal_version: 6101, state: 'released', supported_platforms: GEN3 },
	{ version: '5.9.0', internal_version: 5900, state: 'released', supported_platforms: GEN3 },
	{ version: '5.8.0', internal_version: 5800, state: 'released', supported_platforms: GEN3 },
	{ version: '4.2.0', internal_version: 4200, state: 'released', supported_platforms: [12, 13, 15, 23, 25, 26] },
	{ version: '2.3.1', internal_version: 2301, state: 'released', supported_platforms: [6, 8, 10] },
	{ version: '1.5.2', internal_version: 1502, state: 'released', supported_platforms: [6, 8, 10] },
];

/** The module file prefix of each platform, for the module file names. */
const MODULE_PREFIX: Readonly<Record<number, string>> = {
	6: 'photon',
	8: 'p1',
	10: 'electron',
	12: 'argon',
	13: 'boron',
	15: 'esomx',
	23: 'bsom',
	25: 'b5som',
	26: 'tracker',
	28: 'trackerm',
	32: 'p2',
	35: 'msom',
};

function versionJson(entry: FakeDeviceOsVersion, baseUrl: string): Record<string, unknown> {
	return { ...entry, supported_platforms: [...entry.supported_platforms], base_url: `${baseUrl}/v1/firmware/device-os/v${entry.version}` };
}

function platformQuery(ctx: RequestContext): number | undefined {
	const text = queryValue(ctx, 'platform_id');
	if (text === undefined) return undefined;
	if (!/^\d+$/.test(text)) throw badRequest('platform_id must be a number'); // (text unconfirmed)
	return Number(text);
}

const baseUrlOf = (ctx: RequestContext) => `http://${String(ctx.headers.host ?? '127.0.0.1')}`;

export const deviceOsRoutes: Route[] = [
	authed('GET', '/v1/device-os/versions', (ctx) => {
		const platform = platformQuery(ctx);
		const internal = queryValue(ctx, 'internal_version');
		const matching = DEVICE_OS_VERSIONS.filter(
			(entry) => (platform === undefined || entry.supported_platforms.includes(platform)) && (internal === undefined || String(entry.internal_version) === internal),
		);
		const { items, meta } = pageOf(ctx, matching);
		return ok({ versions: items.map((entry) => versionJson(entry, baseUrlOf(ctx))), meta });
	}),
	authed('GET', '/v1/device-os/versions/:version', (ctx) => {
		const entry = DEVICE_OS_VERSIONS.find((candidate) => candidate.version === ctx.params.version);
		if (!entry) throw notFound('Device OS version not found'); // (text unconfirmed)
		const platform = platformQuery(ctx);
		if (platform === undefined) return ok(versionJson(entry, baseUrlOf(ctx)));
		if (!entry.supported_platforms.includes(platform)) throw notFound(`Device OS ${entry.version} does not support platform ${platform}`); // (text unconfirmed)
		const prefix = MODULE_PREFIX[platform] ?? `platform${platform}`;
		const modules = ['bootloader', 'system-part1'].map((part) => ({ filename: `${prefix}-${part}@${entry.version}.bin` }));
		return ok({ ...versionJson(entry, baseUrlOf(ctx)), platform_id: platform, modules });
	}),
];
