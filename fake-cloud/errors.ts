/**
 * Particle-shaped error bodies. Two families, as the real API has them: OAuth style `{ error, error_description }`
 * for authentication, and `{ ok: false, error }` for device and resource routes.
 * Texts marked (unconfirmed) are guesses; the node must not depend on their exact wording.
 */
import { STATUS_CODES } from 'node:http';
import { ApiError } from './http';

export function oauthError(status: number, error: string, description: string): ApiError {
	return new ApiError(status, { error, error_description: description });
}

/** Missing, unknown, revoked or expired token. Never mentions the token itself. */
export function invalidToken(): ApiError {
	return oauthError(401, 'invalid_token', 'The access token provided is invalid.');
}

/** Valid token, but not for this device or resource. (Exact text unconfirmed.) */
export function permissionDenied(): ApiError {
	return new ApiError(403, { ok: false, error: 'Permission Denied' });
}

/**
 * An API user lacks the scope the route needs. Particle does not document this body; we use the OAuth pair with
 * the RFC 6750 error code and 403, the conservative reading (unconfirmed).
 */
export function insufficientScope(scope: string): ApiError {
	return oauthError(403, 'insufficient_scope', `This endpoint requires the ${scope} scope`);
}

export function notFound(error = 'Not Found'): ApiError {
	return new ApiError(404, { ok: false, error });
}

export function deviceNotFound(): ApiError {
	return notFound('Device not found.');
}

export function productNotFound(): ApiError {
	return notFound('Product not found.'); // (text unconfirmed)
}

export function organizationNotFound(): ApiError {
	return notFound('Organization not found'); // (text unconfirmed)
}

export function badRequest(error: string): ApiError {
	return new ApiError(400, { ok: false, error });
}

/** A call that needs the device live other than a variable read or function call (vitals refresh): 404, text (unconfirmed). */
export function deviceOffline(): ApiError {
	return notFound('Device is not connected');
}

/**
 * The reference's Errors table for calls that reach the device (variable, function, signal): "404 Not Found - The
 * device you requested is not currently connected to the cloud." Particle documents no body for it; this is its
 * sentence in the `{ ok: false, error }` shape of the other device-call errors.
 */
const DEVICE_NOT_CONNECTED = 'The device you requested is not currently connected to the cloud.';

export function deviceNotConnected(): ApiError {
	return notFound(DEVICE_NOT_CONNECTED);
}

export function timedOut(): ApiError {
	return new ApiError(408, { ok: false, error: 'Timed out.' });
}

export function rateLimited(retryAfterSeconds?: number): ApiError {
	const headers = retryAfterSeconds === undefined ? undefined : { 'retry-after': String(retryAfterSeconds) };
	return new ApiError(429, defaultBodyForStatus(429), headers);
}

/** The body an injected fault gets when the rule gives none. */
export function defaultBodyForStatus(status: number): unknown {
	if (status === 401) return invalidToken().body;
	if (status === 403) return permissionDenied().body;
	if (status === 408) return timedOut().body;
	// No documented 429 body; the OAuth pair keeps it parseable (unconfirmed).
	if (status === 429) return { error: 'rate_limited', error_description: 'Too many requests' };
	return { ok: false, error: STATUS_CODES[status] ?? 'Error' };
}
