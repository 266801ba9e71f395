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

export class TokenStore {
	private readonly byToken = new Map<string, TokenRecord>();
	private readonly byRefresh = new Map<string, TokenGrant>();

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
