/**
 * Particle's paged lists: `page` (1-based), the page size (default 25, at most 100) and `meta`. The reference names the
 * page size `perPage` ("List devices in a product", "List SIM cards"); particle-api-js sends `per_page`: either works.
 */
import { badRequest } from './errors';
import { queryValue } from './fields';
import type { RequestContext } from './router';

export const DEFAULT_PAGE_SIZE = 25;
/** Particle documents no maximum; 100 is the conservative guess. */
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
	items: T[];
	meta: { page: number; per_page: number; total_pages: number; total: number };
}

export function positiveInt(ctx: RequestContext, name: string): number | undefined {
	const text = queryValue(ctx, name);
	if (text === undefined) return undefined;
	if (!/^\d+$/.test(text) || Number(text) < 1) throw badRequest(`${name} must be a positive integer`);
	return Number(text);
}

export function pageOf<T>(ctx: RequestContext, all: readonly T[]): Page<T> {
	const page = positiveInt(ctx, 'page') ?? 1;
	const perPage = Math.min(positiveInt(ctx, 'perPage') ?? positiveInt(ctx, 'per_page') ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
	return {
		items: all.slice((page - 1) * perPage, page * perPage),
		meta: { page, per_page: perPage, total_pages: Math.ceil(all.length / perPage), total: all.length },
	};
}
