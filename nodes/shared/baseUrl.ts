/**
 * Where the Particle Cloud is: the credential's Base URL, read in one place for every request, the token exchange and
 * the credential test. Pure, so the credential file can use it too.
 */

export const DEFAULT_BASE_URL = 'https://api.particle.io';

/** What is wrong with a Base URL value, or undefined when it can be used. Nothing but http(s) without credentials, query or fragment. */
export function baseUrlProblem(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') return undefined;
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		return 'is not a URL: use https://api.particle.io, or your private cloud\'s address';
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https:// (or http:// for a local test cloud)';
	if (url.username !== '' || url.password !== '') return 'must not contain a user name or password';
	if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) return 'must not contain a query (?) or fragment (#)';
	return undefined;
}

/**
 * The credential's Base URL without trailing slashes; an empty field means Particle's own cloud. Call
 * `baseUrlProblem()` first: a value it refuses is not resolved, so a token is never sent somewhere unexpected.
 */
export function resolveBaseUrl(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	const problem = baseUrlProblem(text);
	if (problem !== undefined) throw new TypeError(`The Base URL of the Particle API credential ${problem}`);
	if (text === '') return DEFAULT_BASE_URL;
	const url = new URL(text);
	return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The origin (scheme, host, port) requests with this credential may go to. */
export function originOf(baseUrl: string): string {
	return new URL(baseUrl).origin;
}
