/**
 * Reading the last vitals of some devices (`GET .../diagnostics/:id/last`), a few at a time behind the poll's 429 gate,
 * and sorting each answer into what detection needs: vitals read, none to read (404 or an empty record), refused
 * (401/403, or 400: how Particle refuses an API user an action it may not do), or failed for now (rate limit or server
 * trouble after the retries).
 */
import { NodeApiError, type IPollFunctions } from 'n8n-workflow';

import { particleClient } from '../shared/client';
import { flattenObject } from '../shared/csv';
import { vitalsPath, type DeviceScope } from '../shared/paths';
import type { RateLimitGate } from '../shared/transport';
import type { ObservedVitals, VitalsValue } from './fleetChanges';
import { inParallel } from './inParallel';

/** Vitals reads in flight at once. */
export const VITALS_CONCURRENCY = 6;

export interface VitalsReads {
	vitals: Map<string, ObservedVitals>;
	/** Nothing to read: 404, or an answer without a record. */
	checked: Set<string>;
	/** 401, 403, or an API user's 400. */
	refused: Set<string>;
	/** Not answered after the retries (429, 5xx, network): read again next poll. */
	failed: Set<string>;
	/** Particle's words for the last refusal, and its status. */
	refusal?: { status: number; message: string };
}

function statusOf(error: unknown): number | undefined {
	const status = error instanceof NodeApiError ? Number(error.httpCode) : Number.NaN;
	return Number.isInteger(status) ? status : undefined;
}

export function noVitalsReads(): VitalsReads {
	return { vitals: new Map(), checked: new Set(), refused: new Set(), failed: new Set() };
}

/** Both polls' reads as one (the second wins for a device read twice). */
export function mergeVitalsReads(first: VitalsReads, second: VitalsReads): VitalsReads {
	return {
		vitals: new Map([...first.vitals, ...second.vitals]),
		checked: new Set([...first.checked, ...second.checked]),
		refused: new Set([...first.refused, ...second.refused]),
		failed: new Set([...first.failed, ...second.failed]),
		refusal: second.refusal ?? first.refusal,
	};
}

/**
 * Reads the devices' last vitals, `VITALS_CONCURRENCY` at a time. No read starts after `deadline` (ms): those devices
 * are left as they were, for the next poll, so a poll stays within the time n8n gives it.
 */
export async function readLastVitals(this: IPollFunctions, scope: DeviceScope, ids: string[], gate: RateLimitGate, deadline = Infinity): Promise<VitalsReads> {
	const reads = noVitalsReads();
	const client = particleClient(this, { gate });
	await inParallel(ids, VITALS_CONCURRENCY, async (id) => {
		if (Date.now() > deadline) return;
		try {
			const response = await client.get<{ diagnostics?: { updated_at?: unknown; payload?: unknown } }>(vitalsPath(scope, id, 'last'));
			const record = response.diagnostics;
			if (typeof record?.updated_at !== 'string') {
				reads.checked.add(id);
				return;
			}
			reads.vitals.set(id, { updatedAt: record.updated_at, values: flattenObject(record.payload ?? {}) as Record<string, VitalsValue> });
		} catch (error) {
			const status = statusOf(error);
			if (status === 404) reads.checked.add(id);
			// Particle: "If an API user attempts to perform an action that it is not permitted to, a standard 400
			// unauthorized error is returned." A GET without parameters has nothing else a 400 could be about.
			else if (status === 400 || status === 401 || status === 403) {
				reads.refused.add(id);
				reads.refusal = { status, message: (error as Error).message };
			} else {
				reads.failed.add(id);
				this.logger.debug(`Particle Trigger: vitals of ${id} not read this poll (${(error as Error).message}); read again next poll`);
			}
		}
	});
	return reads;
}
