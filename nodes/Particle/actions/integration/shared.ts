/**
 * Particle integrations (webhooks), shared by the Integration resource and the Particle Webhook Trigger: where they
 * live, and the header the trigger's integrations carry.
 */
import { productPath, segment, v1Path } from '../../../shared/paths';

/**
 * The header the Particle Webhook Trigger asks Particle to send with every event, its value a random secret only that
 * trigger knows: a request without it is refused.
 */
export const VERIFICATION_HEADER = 'X-Particle-N8n-Secret';

const HIDDEN = '(hidden by n8n)';

/** `/v1/integrations/...` for the sandbox, `/v1/products/:product/integrations/...` for a product. */
export function integrationsPath(product: string | undefined, ...rest: string[]): string {
	return product === undefined ? v1Path('integrations', ...rest) : productPath(product, 'integrations', ...rest);
}

/** Path of one integration (and what follows it, such as `test`), its ID one encoded segment. */
export function integrationPath(product: string | undefined, id: string, ...rest: string[]): string {
	return integrationsPath(product, segment(id, 'Integration ID'), ...rest);
}

/**
 * Particle's answer with the trigger's header value hidden wherever it appears (the integration's headers, the request
 * copies in its logs): whoever holds it could start the workflow, so it goes into no item.
 */
export function hideVerificationHeader<T>(value: T, depth = 0): T {
	if (depth > 20 || typeof value !== 'object' || value === null) return value;
	if (Array.isArray(value)) return value.map((entry: unknown) => hideVerificationHeader(entry, depth + 1)) as T;
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		copy[key] = key.toLowerCase() === VERIFICATION_HEADER.toLowerCase() ? HIDDEN : hideVerificationHeader(entry, depth + 1);
	}
	return copy as T;
}
