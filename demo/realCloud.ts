/**
 * `--real-cloud`: one request with the user's token before anything starts, so a wrong token or Base URL stops the
 * demo with Particle's answer and what to do, instead of an n8n whose triggers all failed to activate. The request is
 * the one Particle's docs suggest for testing a token (List devices, `GET /v1/devices`), and its answer names a device
 * for the banner's example.
 */
export interface RealCloudDevice {
	id: string;
	name: string;
	online: boolean;
}

export type TokenCheck = { ok: true; devices: RealCloudDevice[] } | { ok: false; problem: string };

const TIMEOUT_MS = 20_000;

/** Never echo the token, whatever an answer or an error carries. */
function withoutToken(text: string, token: string): string {
	return token ? text.split(token).join('[token]') : text;
}

/** Particle's own words: `error_description (error)` for OAuth errors, `error` or `info` otherwise. */
function particleWords(body: string): string {
	try {
		const parsed = JSON.parse(body) as Record<string, unknown>;
		const text = (key: string): string | undefined => {
			const value = parsed[key];
			return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
		};
		const description = text('error_description') ?? text('info') ?? text('message');
		const code = text('error');
		if (description && code && description !== code) return `${description} (${code})`;
		if (description ?? code) return (description ?? code) as string;
	} catch {
		// Not JSON: the text itself, shortened.
	}
	return body.trim().slice(0, 200) || '(no body)';
}

function whatToDo(status: number, baseUrl: string): string {
	if (status === 401) {
		return 'PARTICLE_ACCESS_TOKEN is not a valid token (mistyped, expired or revoked). Create one with `particle token create` (Particle CLI) or in the console, then run again.';
	}
	if (status === 403) {
		return 'The token is valid but may not list your devices. The demo needs a user token (not an API user or customer token): create one with `particle token create`, then run again.';
	}
	if (status === 404) {
		return `${baseUrl} does not look like a Particle Cloud: set PARTICLE_BASE_URL to the address of the cloud itself, or unset it for https://api.particle.io.`;
	}
	if (status === 429) return 'Particle is rate limiting this IP address: wait a few minutes, then run again.';
	if (status >= 500) return 'The Particle Cloud has a problem of its own: try again in a few minutes (https://status.particle.io).';
	return 'Check PARTICLE_ACCESS_TOKEN and PARTICLE_BASE_URL, then run again.';
}

export async function checkRealCloudToken(baseUrl: string, token: string, signal?: AbortSignal): Promise<TokenCheck> {
	const url = `${baseUrl.replace(/\/+$/, '')}/v1/devices`;
	let response: Response;
	try {
		response = await fetch(url, {
			headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
			// The token goes to this address only: a redirect is reported, not followed.
			redirect: 'manual',
			signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) : AbortSignal.timeout(TIMEOUT_MS),
		});
	} catch (error) {
		const cause = (error as { cause?: { code?: string; message?: string } }).cause;
		const reason = cause?.code ?? cause?.message ?? (error as Error).message;
		return {
			ok: false,
			problem: withoutToken(`Could not reach ${url} (${reason}). Check PARTICLE_BASE_URL (now ${baseUrl}) and the network, then run again.`, token),
		};
	}
	const body = await response.text();
	if (response.status >= 300 && response.status < 400) {
		let origin = 'another address';
		try {
			origin = new URL(response.headers.get('location') ?? '', url).origin;
		} catch {
			// An unreadable Location: say "another address".
		}
		return {
			ok: false,
			problem: `${url} answered with a redirect (HTTP ${response.status}) to ${origin}, which the demo does not follow with your token. Set PARTICLE_BASE_URL to the Particle Cloud itself.`,
		};
	}
	if (!response.ok) {
		return {
			ok: false,
			problem: withoutToken(`Particle refused the token: HTTP ${response.status} from GET ${url}: ${particleWords(body)}.\n${whatToDo(response.status, baseUrl)}`, token),
		};
	}
	let listed: unknown;
	try {
		listed = JSON.parse(body);
	} catch {
		listed = undefined;
	}
	if (!Array.isArray(listed)) {
		return { ok: false, problem: `GET ${url} answered, but not with a device list: is ${baseUrl} a Particle Cloud? Check PARTICLE_BASE_URL.` };
	}
	const devices = listed
		.filter((device): device is Record<string, unknown> => device !== null && typeof device === 'object')
		.map((device) => ({ id: String(device.id ?? ''), name: String(device.name ?? ''), online: device.online === true }));
	return { ok: true, devices };
}
