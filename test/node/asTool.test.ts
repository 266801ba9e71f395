/**
 * The Particle node as an AI agent's tool (`usableAsTool`). n8n's loader makes a tool variant of the description (name
 * `particleTool`, no main input, an `ai_tool` output, a Tool Description field); `toolVariantOf` below does the same
 * steps. The tool then runs through n8n-core's real wrapper: an agent-like test node asks the engine for its connected
 * tools (getInputConnectionData, which builds each with createNodeAsTool: name, description, a schema from the
 * `$fromAI()` fields) and invokes them with the arguments a model would send. No model is involved: the test plays
 * it, and checks what reached the fake cloud and what the model got back.
 */
import { WorkflowExecute } from 'n8n-core';
import {
	deepCopy,
	NodeConnectionTypes,
	NodeHelpers,
	nodeNameToToolName,
	createRunExecutionData,
	Workflow,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type NodeParameterValueType,
} from 'n8n-workflow';

import { Particle } from '../../nodes/Particle/Particle.node';
import { apiCalls, useFakeCloud, userToken } from '../harness/cloud';
import { TestCredentialsHelper } from '../harness/credentials';
import { additionalDataFor, CREDENTIAL_ID, manualRunHooks } from '../harness/engine';
import { nodeTypes, PACKAGE_PREFIX, registerNodeType } from '../harness/nodeTypes';

const cloud = useFakeCloud({ devices: 3 });

/** The steps of n8n's loader for a `usableAsTool` node (createAiTools / convertNodeToAiTool), on a copy. */
function toolVariantOf(nodeType: INodeType): INodeType {
	const description = deepCopy(nodeType.description) as INodeTypeDescription;
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	delete description.usableAsTool;
	const toolDescription: INodeProperties = {
		displayName: 'Description',
		name: 'toolDescription',
		type: 'string',
		required: true,
		default: description.description,
		displayOptions: { show: { descriptionType: ['manual'] } },
	};
	const descriptionType: INodeProperties = {
		displayName: 'Tool Description',
		name: 'descriptionType',
		type: 'options',
		noDataExpression: true,
		default: 'auto',
		options: [
			{ name: 'Set Automatically', value: 'auto' },
			{ name: 'Set Manually', value: 'manual' },
		],
	};
	// n8n puts them after the node's callouts; the Particle node has none, so they come first.
	description.properties.unshift(descriptionType, toolDescription);
	return Object.assign(Object.create(Object.getPrototypeOf(nodeType) as object) as INodeType, nodeType, { description });
}

/** What n8n's editor offers as "Let the model define this parameter": any field but a dropdown or a fixed one. */
const modelCanFill = (property: INodeProperties) => !['options', 'credentialsSelect'].includes(property.type) && property.noDataExpression !== true;

/** The value the editor writes for a field the model defines: `$fromAI()` keyed by the field's display name. */
const fromAi = (property: INodeProperties, description: string) =>
	`={{ $fromAI('${property.displayName.replace(/[^a-zA-Z0-9-]/g, '_')}', \`${description}\`, '${['boolean', 'number', 'json'].includes(property.type) ? property.type : 'string'}') }}`;

const PARTICLE_TOOL = `${PACKAGE_PREFIX}particleTool`;
const particleTool = toolVariantOf(new Particle());
registerNodeType(PARTICLE_TOOL, particleTool);

interface ToolCall {
	tool: string;
	args: IDataObject;
}

/** What a model would see of a tool, and the answers its calls got. */
interface AgentView {
	tools: Array<{ name: string; description: string; arguments: Record<string, string | undefined> }>;
	answers: Array<{ tool: string; answer: unknown }>;
}

interface LangchainTool {
	name: string;
	description: string;
	schema: { shape: Record<string, { description?: string }> };
	invoke(args: IDataObject): Promise<unknown>;
}

/** A stand-in for n8n's AI Agent: takes its tools from the engine, as the agent does, and makes the given calls. */
class ToolCaller implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Tool Caller',
		name: 'toolCaller',
		group: ['transform'],
		version: 1,
		description: 'Gets its connected tools from n8n and calls them with the arguments in Calls',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true }],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Calls', name: 'calls', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as LangchainTool[];
		const calls = JSON.parse(this.getNodeParameter('calls', 0) as string) as ToolCall[];
		const view: AgentView = {
			tools: tools.map((tool) => ({
				name: tool.name,
				description: tool.description,
				arguments: Object.fromEntries(Object.entries(tool.schema.shape).map(([key, field]) => [key, field.description])),
			})),
			answers: [],
		};
		for (const call of calls) {
			const tool = tools.find((candidate) => candidate.name === call.tool);
			if (!tool) throw new Error(`no tool ${call.tool}`);
			view.answers.push({ tool: call.tool, answer: await tool.invoke(call.args) });
		}
		return [[{ json: view as unknown as IDataObject }]];
	}
}
const TOOL_CALLER = `${PACKAGE_PREFIX}toolCaller`;
registerNodeType(TOOL_CALLER, new ToolCaller());

/** Runs the agent stand-in with the given Particle tool nodes connected to it. */
async function runAgent(tools: Array<{ name: string; parameters: INodeParameters }>, calls: ToolCall[]): Promise<AgentView> {
	const credentialsHelper = new TestCredentialsHelper();
	credentialsHelper.store.set(CREDENTIAL_ID, { sessionToken: '', ...userToken(cloud()) });
	const agent: INode = { id: 'agent', name: 'Agent', type: TOOL_CALLER, typeVersion: 1, position: [0, 0], parameters: { calls: JSON.stringify(calls) } };
	const toolNodes: INode[] = tools.map((tool, index) => ({
		id: `tool-${index}`,
		name: tool.name,
		type: PARTICLE_TOOL,
		typeVersion: 1,
		position: [0, 200],
		parameters: tool.parameters,
		credentials: { particleApi: { id: CREDENTIAL_ID, name: 'Particle account' } },
	}));
	const connections: IConnections = Object.fromEntries(
		toolNodes.map((node) => [node.name, { [NodeConnectionTypes.AiTool]: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] }]),
	);
	const workflow = new Workflow({ id: 'workflow-tool', nodes: [agent, ...toolNodes], connections, active: false, nodeTypes });
	const runData = createRunExecutionData({ executionData: { nodeExecutionStack: [{ node: agent, data: { main: [[{ json: {} }]] }, source: null }] } });
	const additionalData = additionalDataFor(credentialsHelper);
	additionalData.hooks = manualRunHooks(workflow, agent, 'execution-tool');
	const run = await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const error = run.data.resultData.error;
	if (error) throw error;
	return run.data.resultData.runData.Agent[0].data!.main[0]![0].json as unknown as AgentView;
}

/** The fields of the tool variant shown for these parameters, as n8n's editor would list them. */
function shownFields(parameters: INodeParameters): INodeProperties[] {
	const { properties } = particleTool.description;
	const values = NodeHelpers.getNodeParameters(properties, parameters, true, false, { typeVersion: 1 }, particleTool.description) ?? {};
	return properties.filter((property) => NodeHelpers.displayParameter(values, property, { typeVersion: 1 }, particleTool.description));
}

const fieldNamed = (fields: INodeProperties[], name: string) => {
	const field = fields.find((property) => property.name === name);
	if (!field) throw new Error(`no field ${name}`);
	return field;
};

/** A resource locator the model fills with an ID, as the editor writes it for "Let the model define this". */
const locatorFromAi = (property: INodeProperties, description: string): NodeParameterValueType => ({ __rl: true, mode: 'id', value: fromAi(property, description) });

describe('the Particle node as an AI agent\'s tool', () => {
	it('is offered as a tool, and n8n makes a tool variant of it', () => {
		expect(new Particle().description.usableAsTool).toBe(true);
		expect(particleTool.description.name).toBe('particleTool');
		expect(particleTool.description.outputs).toEqual([NodeConnectionTypes.AiTool]);
		// The variant keeps the node's fields, credential and execute().
		expect(particleTool.description.credentials).toEqual([{ name: 'particleApi', required: true }]);
		expect(typeof particleTool.execute).toBe('function');
	});

	it('Device > Get Many and Function > Call have fields a model can fill, and a description that says what they do', () => {
		const getMany = shownFields({ resource: 'device', operation: 'getAll' });
		expect(modelCanFill(fieldNamed(getMany, 'returnAll'))).toBe(true);
		expect(modelCanFill(fieldNamed(getMany, 'limit'))).toBe(true);
		// Which fleet is the workflow's choice (a dropdown), not the model's.
		expect(modelCanFill(fieldNamed(getMany, 'deviceScope'))).toBe(false);

		const call = shownFields({ resource: 'function', operation: 'call' });
		for (const name of ['device', 'functionName', 'argument']) expect(modelCanFill(fieldNamed(call, name))).toBe(true);

		// With Tool Description "Set Automatically", the tool's description is the operation's action.
		expect(NodeHelpers.makeDescription({ resource: 'device', operation: 'getAll' }, particleTool.description)).toBe('Get many devices in Particle');
		expect(NodeHelpers.makeDescription({ resource: 'function', operation: 'call' }, particleTool.description)).toBe('Call a function on a device in Particle');
	});

	it('lets the model list devices and call a function: the tools, their arguments, and what reached the cloud', async () => {
		const call = shownFields({ resource: 'function', operation: 'call' });
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online)!;
		const view = await runAgent(
			[
				{ name: 'List devices', parameters: { resource: 'device', operation: 'getAll', descriptionType: 'auto', returnAll: true } },
				{
					name: 'Call a device function',
					parameters: {
						resource: 'function',
						operation: 'call',
						descriptionType: 'auto',
						device: locatorFromAi(fieldNamed(call, 'device'), 'The 24-character ID of the device, from the device list'),
						functionName: locatorFromAi(fieldNamed(call, 'functionName'), 'The name of a function the device registered'),
						argument: fromAi(fieldNamed(call, 'argument'), 'The text passed to the function, e.g. 255,0,0'),
					},
				},
			],
			[
				{ tool: 'List_devices', args: {} },
				{ tool: 'Call_a_device_function', args: { Device: device.id, Function: 'setColor', Argument: '0,128,255' } },
			],
		);

		expect([...view.tools].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
			{
				name: 'Call_a_device_function',
				description: 'Call a function on a device in Particle',
				arguments: {
					Device: 'The 24-character ID of the device, from the device list',
					Function: 'The name of a function the device registered',
					Argument: 'The text passed to the function, e.g. 255,0,0',
				},
			},
			{ name: nodeNameToToolName('List devices'), description: 'Get many devices in Particle', arguments: {} },
		]);
		expect(apiCalls(cloud()).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/devices', `POST /v1/devices/${device.id}/setColor`]);
		expect(apiCalls(cloud())[1].body).toEqual({ arg: '0,128,255' });
		expect(apiCalls(cloud()).every((request) => request.authorization === `Bearer ${cloud().tokens.user}`)).toBe(true);

		// The model gets the node's items as JSON text.
		const listed = JSON.parse(String(view.answers[0].answer)) as IDataObject[];
		expect(listed.map((entry) => entry.id).sort()).toEqual(cloud().fleet.sandboxDevices().map((entry) => entry.id).sort());
		expect(JSON.parse(String(view.answers[1].answer))).toEqual([
			expect.objectContaining({ id: device.id, return_value: 1, functionName: 'setColor', argument: '0,128,255' }),
		]);
		expect(device.calls.at(-1)).toMatchObject({ name: 'setColor', arg: '0,128,255' });
		// Nothing the model sees holds the token.
		expect(JSON.stringify(view)).not.toContain(cloud().tokens.user);
	});

	it('returns vitals as items, never a file, as a tool: Output is hidden in the tool variant', async () => {
		const device = cloud().fleet.sandboxDevices()[0];
		const saved: INodeParameters = {
			resource: 'vitals',
			operation: 'getHistory',
			descriptionType: 'auto',
			device: { __rl: true, mode: 'id', value: device.id },
			startDate: new Date(Date.now() - 86_400_000).toISOString(),
			// Saved before the node became a tool: ignored there, as n8n drops a hidden field's value.
			output: 'csv',
		};
		const outputShown = (description: INodeTypeDescription, parameters: INodeParameters) =>
			NodeHelpers.displayParameter(parameters, description.properties.find((property) => property.name === 'output')!, null, description);
		expect(outputShown(new Particle().description, saved)).toBe(true);
		expect(outputShown(particleTool.description, saved)).toBe(false);

		const view = await runAgent([{ name: 'Vitals history', parameters: saved }], [{ tool: 'Vitals_history', args: {} }]);
		expect(apiCalls(cloud()).map((request) => `${request.method} ${request.path}`)).toEqual([`GET /v1/diagnostics/${device.id}`]);
		// One item per record, as JSON the model reads: no file details.
		const answer = JSON.parse(String(view.answers[0].answer)) as IDataObject[];
		expect(answer.length).toBeGreaterThan(1);
		expect(answer.every((record) => record.deviceId === device.id && record.bytes === undefined)).toBe(true);
	});
});
