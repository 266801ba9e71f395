/**
 * Access tokens the fake accepts: who they belong to, what they may do, and when they stop working.
 */
import { randomBytes } from 'node:crypto';
import type { TokenKind } from './types';

export interface TokenRecord {
	kind: TokenKind;
	/** Enforced for API users always, for other kinds only when non-empty. */
	scopes: string[];
	/** The product an API-user, product or customer token is bound to. */
	productId: number | null;
	/** The organization an organization API user belongs to. */
	orgId?: string | null;
	/** Customer email of a customer token. */
	customer: string | null;
	/** OAuth client the token was minted for (reported by /v1/access_tokens/current). */
	client: string;
	/** ms since epoch; null = never expires. */
	expiresAt: number | null;
	revoked: boolean;
}

/** What a token is minted from: its record minus expiry, plus a lifetime (null = never expires). */
export interface TokenGrant extends Omit<TokenRecord, 'revoked' | 'expiresAt'> {
	lifetimeSeconds: number | null;
}

export function randomToken(): string {
	return randomBytes(20).toString('hex');
}

/**
 * Particle's limits on `POST /oauth/token` (Cloud API reference, "API rate limits > Create an access token"):
 * "Maximum of 100 requests every 5 minutes", and "If a single IP address sends 10 consecutive failed create token
 * requests, the API will block further attempts from that IP address for 30 minutes." Every client of the fake
 * is 127.0.0.1, so the fake keeps one count.
 */
export interface TokenEndpointLimits {
	maxRequests: number;
	windowMs: number;
	maxConsecutiveFailures: number;
	blockMs: number;
}

export const DOCUMENTED_TOKEN_ENDPOINT_LIMITS: TokenEndpointLimits = {
	maxRequests: 100,
	windowMs: 5 * 60_000,
	maxConsecutiveFailures: 10,
	blockMs: 30 * 60_000,
};

/** Why the token endpoint refuses a request before looking at it, with the seconds until it would accept one. */
export interface TokenEndpointRefusal {
	reason: 'rate-limited' | 'blocked';
	retryAfterSeconds: number;
}

/** The request count and the run of failures of the token endpoint, on the fake's clock. */
export class TokenEndpointGuard {
	private accepted: number[] = [];
	private consecutiveFailures = 0;
	private blockedUntil = 0;

	constructor(private limits: TokenEndpointLimits = DOCUMENTED_TOKEN_ENDPOINT_LIMITS) {}

	configure(limits: Partial<TokenEndpointLimits>): void {
		this.limits = { ...this.limits, ...limits };
	}

	get failuresInARow(): number {
		return this.consecutiveFailures;
	}

	/** Counts the request when it may go on; refused ones (blocked or over the limit) count for nothing. */
	admit(now: number): TokenEndpointRefusal | undefined {
		if (now < this.blockedUntil) return { reason: 'blocked', retryAfterSeconds: Math.ceil((this.blockedUntil - now) / 1000) };
		this.accepted = this.accepted.filter((at) => at > now - this.limits.windowMs);
		if (this.accepted.length >= this.limits.maxRequests) {
			return { reason: 'rate-limited', retryAfterSeconds: Math.ceil((this.accepted[0] + this.limits.windowMs - now) / 1000) };
		}
		this.accepted.push(now);
		return undefined;
	}

	/** After an admitted request was answered: a success ends the run of failures, the tenth failure blocks. */
	settle(succeeded: boolean, now: number): void {
		if (succeeded) {
			this.consecutiveFailures = 0;
			return;
		}
		this.consecutiveFailures++;
		if (this.consecutiveFailures >= this.limits.maxConsecutiveFailures) {
			this.blockedUntil = now + this.limits.blockMs;
			this.consecutiveFailures = 0;
		}
	}
}

export class TokenStore {
	private readonly byToken = new Map<string, TokenRecord>();
	private readonly byRefresh = new Map<string, TokenGrant>();
	/** The documented limits by default; tests may tighten or loosen them (`tokenEndpoint.configure`). */
	readonly tokenEndpoint = new TokenEndpointGuard();

	/** Registers a known token value (the seeded ones). */
	add(token: string, grant: TokenGrant, now: number): void {
		const { lifetimeSeconds, ...rest } = grant;
		const expiresAt = lifetimeSeconds === null ? null : now + lifetimeSeconds * 1000;
		this.byToken.set(token, { ...rest, expiresAt, revoked: false });
	}

	/** Mints a fresh token plus a refresh token that can mint another like it. */
	mint(grant: TokenGrant, now: number): { accessToken: string; refreshToken: string } {
		const accessToken = randomToken();
		const refreshToken = randomToken();
		this.add(accessToken, grant, now);
		this.byRefresh.set(refreshToken, grant);
		return { accessToken, refreshToken };
	}

	/** Single use, as OAuth servers usually rotate refresh tokens. */
	takeRefresh(refreshToken: string): TokenGrant | undefined {
		const record = this.byRefresh.get(refreshToken);
		this.byRefresh.delete(refreshToken);
		return record;
	}

	/** The record of a live token; undefined when unknown, revoked or expired. */
	resolve(token: string, now: number): TokenRecord | undefined {
		const record = this.byToken.get(token);
		if (!record || record.revoked) return undefined;
		if (record.expiresAt !== null && record.expiresAt <= now) return undefined;
		return record;
	}

	revoke(token: string): void {
		const record = this.byToken.get(token);
		if (record) record.revoked = true;
	}

	/** Every token of a customer, for when the customer is deleted. */
	revokeCustomer(productId: number, customer: string): void {
		for (const record of this.byToken.values()) {
			if (record.kind === 'customer' && record.productId === productId && record.customer === customer) record.revoked = true;
		}
	}

	expire(token: string, now: number): void {
		const record = this.byToken.get(token);
		if (record) record.expiresAt = now - 1;
	}
}
