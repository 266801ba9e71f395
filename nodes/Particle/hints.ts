/**
 * The editor's hints for choices that cost requests from Particle's rate budget (10,000 per 5 minutes per public IP).
 * n8n evaluates each `displayCondition` against the node's parameters (`$parameter`) with the fields' defaults filled
 * in, but not the options of a collection: an option the user never added is missing, so it is read as its default.
 */
import type { NodeHint } from 'n8n-workflow';

import { OWN_OPTIONS } from './actions/common';

/** Above this many requests in flight a run can spend Particle's budget within minutes. */
export const HIGH_CONCURRENCY = 10;

/** The two lists that grow with the fleet, a page per 100 devices. */
const FLEET_LIST = `['device', 'sim'].includes($parameter.resource) && $parameter.operation === 'getAll'`;

const CSV_HISTORY = `$parameter.resource === 'vitals' && $parameter.operation === 'getHistory' && $parameter.output === 'csv'`;

/** Every collection Concurrency can be saved in: each operation's own Options, and Item Processing (older ones too). */
const CONCURRENCY_COLLECTIONS = [
	...new Set(Object.values(OWN_OPTIONS).flatMap((byOperation) => Object.values(byOperation) as string[])),
	'itemProcessing',
];
const CONCURRENCY = `Math.max(${CONCURRENCY_COLLECTIONS.map((name) => `Number(($parameter.${name} || {}).concurrency) || 1`).join(', ')})`;

export const particleHints: NodeHint[] = [
	{
		type: 'info',
		message:
			'Return All reads the product\'s whole list: one request per 100 devices (500 at 50,000), again for each input item. They come out of Particle\'s 10,000 requests per 5 minutes per public IP, shared with everything behind it. A Limit or the Filters (groups, name) read fewer pages.',
		location: 'outputPane',
		whenToDisplay: 'always',
		displayCondition: `={{ ${FLEET_LIST} && $parameter.deviceScope === 'product' && $parameter.returnAll === true }}`,
	},
	{
		type: 'info',
		message:
			'Include Device Details (Options, on unless turned off) reads each device once more: one extra request per input item besides its vitals. Turn it off for a large fleet when the file needs only the device ID.',
		location: 'outputPane',
		whenToDisplay: 'always',
		displayCondition: `={{ ${CSV_HISTORY} && ($parameter.csvOptions || {}).includeDeviceName !== false }}`,
	},
	{
		type: 'warning',
		message: `Concurrency above ${HIGH_CONCURRENCY}: that many requests in flight can spend Particle's 10,000 requests per 5 minutes (per public IP, shared with everything behind it) within minutes; after that every request waits out 429 answers.`,
		location: 'outputPane',
		whenToDisplay: 'always',
		displayCondition: `={{ ${CONCURRENCY} > ${HIGH_CONCURRENCY} }}`,
	},
];
