/**
 * The editor's node hints: each `displayCondition` evaluated by n8n's own expression engine against the node's
 * parameters, as the editor does (getSimpleParameterValue on the node of a Workflow). Each case is checked twice: with
 * the parameters as n8n saves them (defaults left out, which the Workflow fills in again) and as the editor holds them
 * (defaults filled in by NodeHelpers). Options of a collection stay missing until added, in both.
 */
import { NodeHelpers, Workflow, type INode, type INodeParameters, type INodeType, type NodeHint } from 'n8n-workflow';

import { HIGH_CONCURRENCY } from '../../nodes/Particle/hints';
import { Particle } from '../../nodes/Particle/Particle.node';
import { ParticleTrigger } from '../../nodes/ParticleTrigger/ParticleTrigger.node';
import { nodeTypes, PACKAGE_PREFIX, registerNodeType } from '../harness/nodeTypes';

type Form = 'saved' | 'editor';

function parametersAs(nodeType: INodeType, parameters: INodeParameters, form: Form): INodeParameters {
	const { description } = nodeType;
	const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, form === 'editor', false, { typeVersion: 1 }, description);
	if (!resolved) throw new Error('n8n resolved no parameters');
	return resolved;
}

/** The messages of the hints n8n would show for these parameters; a condition that is not a boolean fails the test. */
function shownHints(nodeType: INodeType, parameters: INodeParameters, form: Form): string[] {
	const type = `${PACKAGE_PREFIX}hintsOf${nodeType.description.name}`;
	registerNodeType(type, nodeType);
	const node: INode = { id: 'n', name: 'n', type, typeVersion: 1, position: [0, 0], parameters: parametersAs(nodeType, parameters, form) };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return (nodeType.description.hints ?? [])
		.filter((hint: NodeHint) => {
			const shown = workflow.expression.getSimpleParameterValue(node, String(hint.displayCondition), 'internal', {});
			if (typeof shown !== 'boolean') throw new Error(`"${hint.message.slice(0, 40)}" evaluated to ${JSON.stringify(shown)}`);
			return shown;
		})
		.map((hint) => hint.message);
}

const particle = new Particle();
const trigger = new ParticleTrigger();
const product = { __rl: true, mode: 'id', value: '12345' };

const RETURN_ALL = /^Return All reads the product's whole list/;
const DEVICE_DETAILS = /^Include Device Details/;
const CONCURRENCY = new RegExp(`^Concurrency above ${HIGH_CONCURRENCY}`);
const VITALS_EVERY_POLL = /^Read Vitals at Most Every is 0/;

describe.each<Form>(['saved', 'editor'])('node hints, parameters as %s', (form) => {
	const particleHints = (parameters: INodeParameters) => shownHints(particle, parameters, form);
	const triggerHints = (parameters: INodeParameters) => shownHints(trigger, parameters, form);
	const only = (pattern: RegExp, messages: string[]) => messages.filter((message) => pattern.test(message));

	it('every hint of both nodes has a condition that n8n evaluates to a boolean', () => {
		expect(particle.description.hints).toHaveLength(3);
		for (const hint of [...(particle.description.hints ?? []), ...(trigger.description.hints ?? [])]) {
			expect(hint.displayCondition).toMatch(/^=\{\{.*\}\}$/s);
		}
		// The node as a user adds it: Device > Get Many of the sandbox, nothing costly chosen.
		expect(particleHints({})).toEqual([]);
		expect(triggerHints({})).toEqual([]);
	});

	it('Return All: only on a product\'s device or SIM list', () => {
		// Device > Get Many is the default pair: a saved node names neither resource nor operation.
		expect(only(RETURN_ALL, particleHints({ deviceScope: 'product', product, returnAll: true }))).toHaveLength(1);
		expect(only(RETURN_ALL, particleHints({ resource: 'device', operation: 'getAll', deviceScope: 'product', product, returnAll: true }))).toHaveLength(1);
		expect(only(RETURN_ALL, particleHints({ resource: 'sim', operation: 'getAll', deviceScope: 'product', product, returnAll: true }))).toHaveLength(1);
		// A Limit, the sandbox's one unpaged list, or another list: no hint.
		expect(only(RETURN_ALL, particleHints({ deviceScope: 'product', product, returnAll: false, limit: 50 }))).toEqual([]);
		expect(only(RETURN_ALL, particleHints({ deviceScope: 'sandbox', returnAll: true }))).toEqual([]);
		expect(only(RETURN_ALL, particleHints({ resource: 'customer', operation: 'getAll', product, returnAll: true }))).toEqual([]);
	});

	it('Include Device Details: on a vitals CSV unless turned off', () => {
		const csv = { resource: 'vitals', operation: 'getHistory', device: { __rl: true, mode: 'id', value: 'a'.repeat(24) }, startDate: '2026-01-01T00:00:00Z', output: 'csv' };
		// On by default: shown whether the option was ever touched or not.
		expect(only(DEVICE_DETAILS, particleHints(csv))).toHaveLength(1);
		expect(only(DEVICE_DETAILS, particleHints({ ...csv, csvOptions: { includeDeviceName: true } }))).toHaveLength(1);
		expect(only(DEVICE_DETAILS, particleHints({ ...csv, csvOptions: { includeDeviceName: false } }))).toEqual([]);
		// Items output: the option is not offered, so no hint.
		expect(only(DEVICE_DETAILS, particleHints({ ...csv, output: 'items' }))).toEqual([]);
		expect(only(DEVICE_DETAILS, particleHints({ resource: 'vitals', operation: 'getLast' }))).toEqual([]);
	});

	it(`Concurrency: above ${HIGH_CONCURRENCY}, in whichever collection the operation keeps it`, () => {
		const call = { resource: 'function', operation: 'call', functionName: 'setColor' };
		expect(only(CONCURRENCY, particleHints({ ...call, options: { concurrency: HIGH_CONCURRENCY + 1 } }))).toHaveLength(1);
		expect(only(CONCURRENCY, particleHints({ ...call, options: { concurrency: HIGH_CONCURRENCY } }))).toEqual([]);
		expect(only(CONCURRENCY, particleHints({ resource: 'vitals', operation: 'getHistory', startDate: '2026-01-01T00:00:00Z', csvOptions: { concurrency: 20 } }))).toHaveLength(1);
		// Operations without options of their own keep it under Item Processing.
		expect(only(CONCURRENCY, particleHints({ resource: 'device', operation: 'ping', itemProcessing: { concurrency: 50 } }))).toHaveLength(1);
		expect(only(CONCURRENCY, particleHints({ resource: 'device', operation: 'ping', itemProcessing: { concurrency: 4 } }))).toEqual([]);
	});

	it('polling trigger: reading every heard-from device\'s vitals on each poll, only with a vitals event', () => {
		expect(only(VITALS_EVERY_POLL, triggerHints({ events: ['vitalsUpdated'] }))).toHaveLength(1);
		expect(only(VITALS_EVERY_POLL, triggerHints({ events: ['deviceWentOffline', 'vitalsThreshold'], options: { vitalsRecheckMinutes: 0 } }))).toHaveLength(1);
		expect(only(VITALS_EVERY_POLL, triggerHints({ events: ['vitalsUpdated'], options: { vitalsRecheckMinutes: 15 } }))).toEqual([]);
		expect(only(VITALS_EVERY_POLL, triggerHints({ events: ['deviceWentOffline', 'deviceCameOnline'] }))).toEqual([]);
	});
});
