import {
	NodeApiError,
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { CHOOSE_PRODUCT_SCOPE, deviceField, deviceScopeField, productField, throwIfInvalid } from '../Particle/actions/common';
import { getGroups, groupsFilterField, readGroupsFilter } from '../Particle/methods/groups';
import { searchDevices, searchProducts } from '../Particle/methods/listSearch';
import { checkDeviceLocator, checkLinkInScope, checkProductLocator, isEmptyLocator } from '../shared/locators';
import type { DeviceScope } from '../shared/paths';
import { RateLimitGate } from '../shared/transport';
import {
	detectChanges,
	devicesNeedingVitals,
	isWatchingVitals,
	vitalsProbe,
	vitalsRefusedEverywhere,
	type FleetState,
	type WatchOptions,
} from './fleetChanges';
import { listFleet, type FleetFilters, type FleetListing } from './fleetListing';
import { isFleetState, migrateState } from './fleetState';
import { DEFAULT_REQUEST_BUDGET, describeCost, pollsPerFiveMinutes, requestsPerPoll } from './pollBudget';
import { startPoll, type PollLease } from './pollLock';
import { sampleItems } from './samples';
import { mergeVitalsReads, noVitalsReads, readLastVitals, type VitalsReads } from './vitalsReads';
import { checkedNumber, eventNamesExpression, readThreshold, readWatchedEvents, thresholdProperties } from './watchParameters';
import { FILTERS_COLLECTION } from '../Particle/actions/kit';

/** n8n's own default for Poll Times. */
const DEFAULT_POLL_TIMES = { item: [{ mode: 'everyMinute' }] };
/** The time a poll may take when n8n does not say (its default poll budget). */
const DEFAULT_POLL_BUDGET_MS = 5 * 60_000;
/** Vitals reads stop starting after this share of the poll's time; the rest wait for the next poll. */
const VITALS_TIME_SHARE = 0.8;

/** The Events list; n8n's node panel lists each as a trigger of the Particle entry, with its description. */
const FLEET_EVENT_OPTIONS = [
	{
		name: 'Device Came Online',
		value: 'deviceCameOnline',
		description: 'Polls the device list: a device that was offline at the last poll is online. For the moment it happens, use the Particle Event Trigger.',
	},
	{
		name: 'Device Went Offline',
		value: 'deviceWentOffline',
		description: 'Polls the device list: a device that was online at the last poll is offline (or not heard from for a set time)',
	},
	{
		name: 'Vitals Crossed a Threshold',
		value: 'vitalsThreshold',
		description: 'Once when a vitals field crosses the value, not on every poll while it stays there',
	},
	{ name: 'Vitals Updated', value: 'vitalsUpdated', description: 'Polls the last vitals of devices heard from: a device sent new vitals' },
];

const WATCHES_VITALS = `($parameter.events || []).some((event) => event === 'vitalsUpdated' || event === 'vitalsThreshold')`;
const POLL_TIMES = `(($parameter.pollTimes || {}).item || [])`;

export class ParticleTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Particle Trigger',
		name: 'particleTrigger',
		icon: { light: 'file:../../icons/particle.svg', dark: 'file:../../icons/particle.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ ${eventNamesExpression(FLEET_EVENT_OPTIONS)} }}`,
		// n8n lists this trigger under the Particle node's entry in the node panel and shows this text for the entry.
		description: 'Act on Particle devices going offline, coming online or sending vitals, and read, control and manage your devices and fleets',
		defaults: { name: 'Particle Trigger' },
		// The node panel's docs link: n8n uses this as it is (a codex link gets a query appended after the anchor).
		documentationUrl: 'https://github.com/n8n-nodes-particle/n8n-nodes-particle/blob/main/README.md#particle-trigger',
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'particleApi', required: true }],
		hints: [
			{
				type: 'warning',
				message:
					'Polling more often than every 5 minutes with a vitals event: the Request Budget (5,000 per 5 minutes by default) is shared by the polls, 1,000 requests a poll when polling every minute. At 50,000 devices the device list alone takes 500 of them, so vitals beyond the rest are read on later polls. Poll less often, narrow the trigger to groups, or raise the budget (Particle allows 10,000 per 5 minutes per IP, for everything behind it).',
				location: 'outputPane',
				whenToDisplay: 'always',
				displayCondition: `={{ ${WATCHES_VITALS} && ${POLL_TIMES}.some((time) => time.mode === 'everyMinute' || time.mode === 'custom' || (time.mode === 'everyX' && time.unit === 'minutes' && time.value < 5)) }}`,
			},
			{
				type: 'warning',
				message: 'Each Poll Time is a poll of the whole fleet: ceil(N / 100) device-list requests each, at N devices. Their costs add up.',
				location: 'outputPane',
				whenToDisplay: 'always',
				displayCondition: `={{ ${POLL_TIMES}.length > 1 }}`,
			},
			{
				type: 'info',
				message:
					'Read Vitals at Most Every is 0: each poll reads the vitals of every device heard from since its last read, one request per device, also of a device that only published an event. Set it to your devices\' vitals interval to read each device about once per interval.',
				location: 'outputPane',
				whenToDisplay: 'always',
				displayCondition: `={{ ${WATCHES_VITALS} && !(Number(($parameter.options || {}).vitalsRecheckMinutes) > 0) }}`,
			},
		],
		properties: [
			{
				displayName:
					'Each poll costs ceil(N / 100) device-list requests at N product devices (10 at 1,000, 500 at 50,000; 1 for the sandbox), plus, with a vitals event, one read per device heard from since its vitals were last read. Particle allows 10,000 requests per 5 minutes per public IP, for everything behind it: this trigger keeps to its Request Budget (Options) and reads the vitals it cannot afford on later polls.',
				name: 'costNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['deviceWentOffline'],
				options: FLEET_EVENT_OPTIONS,
			},
			deviceScopeField(),
			productField({ deviceScope: ['product'] }),
			...thresholdProperties({ events: ['vitalsThreshold'] }),
			{
				...FILTERS_COLLECTION,
				options: [
					// One device, so a locator (a multi-select would suit a list). `deviceId` is the name of the text
					// field it replaces: a saved workflow's plain ID still reads.
					deviceField(undefined, { name: 'deviceId', byName: false, required: false, description: 'Watch only this device' }),
					groupsFilterField('Product devices only: watch only devices in one of these groups'),
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Consider Offline After (Minutes)',
						name: 'offlineAfterMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'Consider a device offline when not heard from for this many minutes. Particle can take about 46 minutes to mark a cellular device offline (about 50 seconds for Wi-Fi), so a few minutes more than the device\'s reporting interval alerts sooner. 0 trusts Particle\'s online flag.',
					},
					{
						displayName: 'Read Vitals at Most Every (Minutes)',
						name: 'vitalsRecheckMinutes',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description:
							'The device list tells when a device was last heard from, not whether it sent vitals, so at 0 every device heard from since its last read is read, also one that only published an event. Set this to your devices\' vitals interval to save requests: a device is then read again only after this long, or at once when it starts a new session (devices send vitals at every session start). Vitals sent in between are reported late, not lost.',
					},
					{
						displayName: 'Report on First Poll',
						name: 'reportOnBaseline',
						type: 'boolean',
						default: false,
						description:
							'Whether the first poll after activation reports devices already offline (and thresholds already crossed) instead of only recording the fleet',
					},
					{
						displayName: 'Request Budget (per 5 Minutes)',
						name: 'requestBudget',
						type: 'number',
						typeOptions: { minValue: 10 },
						default: DEFAULT_REQUEST_BUDGET,
						description:
							'Most requests this trigger sends in 5 minutes, shared by the polls of that time (Poll Times). Vitals reads beyond a poll\'s share wait for later polls, longest waiting first; the device list is always read whole. Particle allows 10,000 per 5 minutes per public IP for everything behind it.',
					},
				],
			},
		],
	};

	methods = { listSearch: { searchDevices, searchProducts }, loadOptions: { getGroups } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const scope = readScope.call(this);
		const options = readWatchOptions.call(this);
		const filters = readFilters.call(this, scope);
		const gate = new RateLimitGate();

		if (this.getMode() === 'manual') {
			const samples = await sampleItems.call(this, scope, options, filters, gate, { pollsInFiveMinutes: readPollsInFiveMinutes.call(this), budget: readRequestBudget.call(this) });
			return [this.helpers.returnJsonArray(samples as unknown as IDataObject[])];
		}

		const budgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : DEFAULT_POLL_BUDGET_MS;
		const lease = startPoll(`${this.getWorkflow().id ?? ''}/${this.getNode().id}`, Date.now(), budgetMs);
		if (lease === undefined) {
			this.logger.info('Particle Trigger: the previous poll is still running, so this one does nothing; the next poll reports what changed');
			return null;
		}
		try {
			return await pollFleet.call(this, { scope, options, filters, gate, lease, deadline: Date.now() + budgetMs * VITALS_TIME_SHARE });
		} finally {
			lease.release();
		}
	}
}

interface PollPlan {
	scope: DeviceScope;
	options: WatchOptions;
	filters: FleetFilters;
	gate: RateLimitGate;
	lease: PollLease;
	/** No vitals read starts after this time (ms). */
	deadline: number;
}

const writesOf = (saved: unknown): number => (isFleetState(saved) ? saved.s : 0);

async function pollFleet(this: IPollFunctions, plan: PollPlan): Promise<INodeExecutionData[][] | null> {
	const { scope, options } = plan;
	const staticData = this.getWorkflowStaticData('node');
	const saved = staticData.fleet;
	const previous = migrateState(saved, options.threshold?.path);
	const writes = writesOf(saved);
	const budget = readRequestBudget.call(this);
	const polls = readPollsInFiveMinutes.call(this);
	const perPoll = requestsPerPoll(budget, polls);

	const listing = await listFleet.call(this, scope, plan.filters, plan.gate);
	const cost = describeCost(listing.total ?? listing.devices.length, scope.kind === 'product', isWatchingVitals(options), polls, budget);
	if (cost.warning) this.logger.warn(`Particle Trigger: too many requests. ${cost.text} Poll less often, narrow the trigger to groups, or raise the budget.`);
	const reads = isWatchingVitals(options) ? await readDueVitals.call(this, plan, previous, listing, Math.max(0, perPoll - listing.calls)) : noVitalsReads();
	const outcome = detectChanges({
		previous,
		devices: listing.devices,
		vitals: reads.vitals,
		vitalsChecked: reads.checked,
		vitalsRefused: reads.refused,
		complete: listing.complete,
		options,
		product: scope.kind === 'product' ? scope.product : null,
		now: Date.now(),
	});
	if (!listing.complete) {
		this.logger.info('Particle Trigger: the device list changed while it was read; online and offline changes wait for the next poll');
	}

	// Overtaken (see pollLock.ts), or the state was written meanwhile: the newer poll reports, this one does not.
	if (!plan.lease.isCurrent() || writesOf(this.getWorkflowStaticData('node').fleet) !== writes) return null;
	// n8n saves static data after any write to it: write only what changed.
	if (outcome.changed || saved !== previous) staticData.fleet = { ...outcome.next, s: writes + 1 } as unknown as IDataObject;

	if (outcome.vitalsRefused && outcome.changes.length === 0) throw vitalsRefusedError.call(this, outcome.next, reads);
	return outcome.changes.length > 0 ? [this.helpers.returnJsonArray(outcome.changes as unknown as IDataObject[])] : null;
}

/**
 * The vitals this poll reads: the devices due (see `devicesNeedingVitals`), as many as the budget allows. While the
 * credential is refused vitals everywhere, one device is tried instead; if that read works, the rest follow.
 */
async function readDueVitals(this: IPollFunctions, plan: PollPlan, previous: FleetState | undefined, listing: FleetListing, allowed: number): Promise<VitalsReads> {
	let probed = noVitalsReads();
	let probe: string | undefined;
	if (vitalsRefusedEverywhere(previous, listing.devices.length)) {
		probe = vitalsProbe(previous, listing.devices);
		if (probe === undefined || allowed < 1) return probed;
		probed = await readLastVitals.call(this, plan.scope, [probe], plan.gate);
		if (probed.vitals.size === 0 && probed.checked.size === 0) return probed;
		allowed--;
	}
	const due = devicesNeedingVitals(previous, listing.devices, { complete: listing.complete, recheckMinutes: plan.options.vitalsRecheckMinutes }).filter((id) => id !== probe);
	if (due.length > allowed) {
		this.logger.info(`Particle Trigger: ${due.length} devices have vitals to read; ${allowed} are read this poll (Request Budget), the rest on later polls`);
	}
	const reads = await readLastVitals.call(this, plan.scope, due.slice(0, allowed), plan.gate, plan.deadline);
	return mergeVitalsReads(probed, reads);
}

/** The poll's error when the credential may not read vitals: shown in n8n's executions list, with what to do. */
function vitalsRefusedError(this: IPollFunctions, state: FleetState, reads: VitalsReads): NodeApiError {
	const status = reads.refusal?.status ?? 403;
	const message = `Particle refused to read device vitals (HTTP ${status}): the credential needs the devices.diagnostics:get scope`;
	const description = [
		reads.refusal ? `Particle said: ${reads.refusal.message}.` : '',
		`Every vitals read since the last one that worked was refused (devices ${(state.r ?? []).join(', ')}).`,
		'Give the API user the devices.diagnostics:get scope, use a credential of a product team member, or remove the vitals events from this trigger.',
		'Online and offline changes are still reported, by the polls that find them; this error comes from the polls that find nothing else.',
	]
		.filter((line) => line !== '')
		.join(' ');
	return new NodeApiError(this.getNode(), { status, message } as JsonObject, { message, description, httpCode: String(status) });
}

/*
 * Every parameter below may come from an expression, so it may be anything: each is checked before the first request
 * and refused with an error that names its field. A number is taken as its text where text is expected.
 */

function readScope(this: IPollFunctions): DeviceScope {
	if (this.getNodeParameter('deviceScope', 'sandbox') !== 'product') return { kind: 'sandbox' };
	// Read as stored (not extracted by n8n), so a Console link gets this node's own checks and words.
	const product = checkProductLocator(this.getNodeParameter('product', ''));
	throwIfInvalid(this, product.violation ?? null);
	return { kind: 'product', product: product.value ?? '' };
}

interface TriggerOptions {
	offlineAfterMinutes?: unknown;
	reportOnBaseline?: boolean;
	vitalsRecheckMinutes?: unknown;
	requestBudget?: unknown;
}

const readOptions = (context: IPollFunctions) => context.getNodeParameter('options', {}) as TriggerOptions;

function readWatchOptions(this: IPollFunctions): WatchOptions {
	const events = readWatchedEvents(this);
	const options = readOptions(this);
	const minutes = (value: unknown, field: string) => (value === undefined ? undefined : checkedNumber(this, value, field, { min: 0 }));
	return {
		events,
		threshold: events.includes('vitalsThreshold') ? readThreshold(this) : undefined,
		offlineAfterMinutes: minutes(options.offlineAfterMinutes, 'Consider Offline After (Minutes)'),
		reportOnBaseline: options.reportOnBaseline,
		vitalsRecheckMinutes: minutes(options.vitalsRecheckMinutes, 'Read Vitals at Most Every (Minutes)'),
	};
}

function readPollsInFiveMinutes(this: IPollFunctions): number {
	return pollsPerFiveMinutes(this.getNodeParameter('pollTimes', DEFAULT_POLL_TIMES));
}

function readRequestBudget(this: IPollFunctions): number {
	const { requestBudget } = readOptions(this);
	if (requestBudget === undefined) return DEFAULT_REQUEST_BUDGET;
	return checkedNumber(this, requestBudget, 'Request Budget (per 5 Minutes)', { min: 10 });
}

/** The filters; the device is a locator, or the plain text of a workflow saved when it was a text field. */
function readFilters(this: IPollFunctions, scope: DeviceScope): FleetFilters {
	const filters = this.getNodeParameter('filters', {}) as { deviceId?: unknown; groups?: unknown };
	let deviceId: string | undefined;
	if (!isEmptyLocator(filters.deviceId)) {
		const device = checkDeviceLocator(filters.deviceId, { field: 'Device ID', accepted: 'a single device ID' });
		throwIfInvalid(this, device.violation ?? null);
		if (device.value) throwIfInvalid(this, checkLinkInScope(device.value, scope, CHOOSE_PRODUCT_SCOPE));
		deviceId = device.value?.device;
	}
	// Picked (a list) or saved as text: Particle's filter is one comma-separated text either way.
	const picked = readGroupsFilter(filters.groups);
	throwIfInvalid(this, picked.violation);
	const groups = picked.names.join(',');
	return { deviceId, groups: groups || undefined };
}
