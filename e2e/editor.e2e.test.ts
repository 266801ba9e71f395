/**
 * The editor as a new fleet operator meets it, in a real n8n (Node 24) with this package and a real browser: the
 * trigger panel, the device and variable pickers and what they store, canvas subtitles, Fetch Test Event of the
 * polling trigger, one Custom API Call, and the error a call to an offline device shows. Its own n8n (port 5848, its
 * task broker 5849) and fake cloud (4140); every wait is bounded.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

import { startDemo, type Demo } from '../demo/launcher';
import { CACHE_DIR, REPO_ROOT } from '../demo/runtime';
import { Particle } from '../nodes/Particle/Particle.node';
import { ParticleEventTrigger } from '../nodes/ParticleEventTrigger/ParticleEventTrigger.node';
import { ParticleTrigger } from '../nodes/ParticleTrigger/ParticleTrigger.node';
import { ParticleWebhookTrigger } from '../nodes/ParticleWebhookTrigger/ParticleWebhookTrigger.node';
import { launchBrowser, signIn } from './browser';

const N8N_PORT = Number(process.env.E2E_EDITOR_N8N_PORT ?? 5848);
const CLOUD_PORT = Number(process.env.E2E_EDITOR_CLOUD_PORT ?? 4140);
/** The README's screenshots. */
const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');
const WAIT = { timeout: 30_000 };

let demo: Demo;
let browser: Browser | undefined;
let page: Page;
const log: string[] = [];

beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	demo = await startDemo({
		n8nPort: N8N_PORT,
		cloudPort: CLOUD_PORT,
		churnMs: 0,
		fresh: true,
		userFolder: join(CACHE_DIR, 'e2e-editor-user'),
		outputDir: join(CACHE_DIR, 'e2e-editor-output'),
		skipBuild: process.env.E2E_SKIP_BUILD === 'true',
		say: (line) => log.push(line),
	});
	browser = await launchBrowser();
	page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(30_000);
	await signIn(page, demo.n8n.url);
}, 20 * 60_000);

afterAll(async () => {
	await browser?.close().catch(() => undefined);
	await demo?.stop();
}, 60_000);

function cloud(): NonNullable<Demo['cloud']> {
	if (!demo.cloud) throw new Error('the editor tests run against the fake cloud');
	return demo.cloud;
}

const credentials = () => ({ particleApi: { id: demo.credential.id, name: demo.credential.name } });

interface WorkflowNode {
	name: string;
	/** One of this package's node types (`particle`), or n8n's own with its package (`n8n-nodes-base.manualTrigger`). */
	type: string;
	parameters: Record<string, unknown>;
	position?: [number, number];
}

/** Each node's main output to the next node's input, in the order given. */
function chain(nodes: WorkflowNode[]): Record<string, unknown> {
	return Object.fromEntries(
		nodes.slice(0, -1).map((node, index) => [node.name, { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] }]),
	);
}

/**
 * A workflow saved over REST with the given nodes (this package's each with the demo credential), opened in the
 * editor; `chained` connects them one after the other.
 */
async function openWorkflow(name: string, nodes: WorkflowNode[], chained = false): Promise<string> {
	const created = await demo.rest.call<{ id: string }>('POST', '/workflows', {
		name: `${name} ${Date.now()}`,
		active: false,
		connections: chained ? chain(nodes) : {},
		settings: {},
		nodes: nodes.map((node, index) => {
			const ours = !node.type.includes('.');
			return {
				id: `node-${index}`,
				typeVersion: 1,
				position: [index * 300, 0],
				...(ours ? { credentials: credentials() } : {}),
				...node,
				type: ours ? `n8n-nodes-particle.${node.type}` : node.type,
			};
		}),
	});
	await page.goto(`${demo.n8n.url}/workflow/${created.id}`);
	await page.getByTestId('canvas-node').first().waitFor(WAIT);
	return created.id;
}

async function openNode(name: string): Promise<Locator> {
	await page.getByTestId('canvas-node').filter({ hasText: name }).first().dblclick();
	const ndv = page.getByTestId('ndv');
	await ndv.waitFor(WAIT);
	return ndv;
}

async function closeNode(): Promise<void> {
	await page.getByTestId('ndv-close-button').first().click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden', timeout: 30_000 });
}

/** What the page function below uses of a DOM element (this project's TypeScript has no DOM types). */
interface PageElement {
	parentElement: PageElement | null;
	querySelector(selector: string): PageElement | null;
	innerText: string;
}

/** Each node panel entry shown: its name and the description under it. */
async function panelEntries(): Promise<Map<string, string>> {
	const entries = await page.getByTestId('node-creator-item-name').evaluateAll((found) =>
		(found as unknown as PageElement[]).map((name) => {
			const selector = '[data-test-id="node-creator-item-description"]';
			let item = name.parentElement;
			while (item && !item.querySelector(selector)) item = item.parentElement;
			return [name.innerText.trim(), item?.querySelector(selector)?.innerText.trim() ?? ''] as [string, string];
		}),
	);
	return new Map(entries);
}

/** The node's parameters as n8n saved them, read over REST. */
async function savedParameters(workflowId: string, nodeName: string): Promise<Record<string, unknown> | undefined> {
	const workflow = await demo.rest.call<{ nodes: Array<{ name: string; parameters: Record<string, unknown> }> }>('GET', `/workflows/${workflowId}`);
	return workflow.nodes.find((node) => node.name === nodeName)?.parameters;
}

/** Saves the open workflow (Ctrl+S) and waits until n8n stored what `done` looks for. */
async function saveUntil(workflowId: string, nodeName: string, done: (parameters: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
	await page.keyboard.press('Control+s');
	const deadline = Date.now() + 30_000;
	let parameters = await savedParameters(workflowId, nodeName);
	while (!(parameters && done(parameters)) && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		parameters = await savedParameters(workflowId, nodeName);
	}
	return parameters ?? {};
}

/** The entries of the resource-locator list now open. */
const openList = (): Locator => page.locator('[data-test-id="rlc-item"]:visible');

/** The names in the list now open (each entry's first line), once at least `expectedCount` have loaded. */
async function openListNames(expectedCount: number): Promise<string[]> {
	await openList().first().waitFor(WAIT);
	const read = async () => (await openList().allInnerTexts()).map((text) => text.split('\n')[0].trim());
	const deadline = Date.now() + 30_000;
	let names = await read();
	while (names.length < expectedCount && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 250));
		names = await read();
	}
	return names;
}

/** Clicks the entry of the open list whose name is exactly `name`. */
async function pickFromOpenList(name: string): Promise<void> {
	const names = await openListNames(1);
	const index = names.indexOf(name);
	expect([name, index >= 0]).toEqual([name, true]);
	await openList().nth(index).click();
	await openList().first().waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The names in an options dropdown, opened from its parameter input. */
async function dropdownOptions(parameter: string): Promise<string[]> {
	await page.getByTestId(`parameter-input-${parameter}`).click();
	const list = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
	await list.first().waitFor(WAIT);
	const names = (await list.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await page.locator('.el-select-dropdown:visible').first().waitFor({ state: 'hidden', timeout: 10_000 });
	return names;
}

describe('the editor', () => {
	it('lists every Particle trigger in the trigger panel, each entry with its own description', async () => {
		await page.goto(`${demo.n8n.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Particle');
		// n8n puts the polling trigger under the Particle node's entry (same name but "Trigger") and gives the entry the
		// trigger's description; the two other triggers are entries of their own.
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^Particle Webhook Trigger$/ }).waitFor(WAIT);
		await page.screenshot({ path: join(SCREENSHOTS, 'editor-trigger-panel.png') });
		const polling = new ParticleTrigger().description.description;
		const live = new ParticleEventTrigger().description.description;
		const webhook = new ParticleWebhookTrigger().description.description;
		const entries = await panelEntries();
		expect(entries.get('Particle')).toBe(polling);
		// The entry stands for the action node too, so its text speaks for both.
		expect(polling).toMatch(/going offline.*read, control and manage/);
		expect(entries.get('Particle Event')).toBe(live);
		expect(entries.get('Particle Webhook Trigger')).toBe(webhook);
		expect(new Set([polling, live, webhook]).size).toBe(3);

		await page.getByTestId('node-creator-item-name').filter({ hasText: /^Particle$/ }).click();
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^On device went offline$/ }).waitFor(WAIT);
		const polled = await page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(polled).toEqual(expect.arrayContaining(['On device came online', 'On device went offline', 'On vitals crossed a threshold', 'On vitals updated']));

		await page.goto(`${demo.n8n.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Particle');
		await page.getByTestId('node-creator-item-name').filter({ hasText: /Particle Event/ }).first().click();
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^On published events$/i }).waitFor(WAIT);
		const streamed = await page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(streamed.map((name) => name.toLowerCase())).toEqual(expect.arrayContaining(['on device status and vitals', 'on published events']));
		await page.keyboard.press('Escape');
	});

	it('lists devices by name in the picker and stores the ID and the name only, no online state', async () => {
		const offline = cloud().fleet.sandboxDevices().find((device) => !device.online)!;
		const id = await openWorkflow('Picker', [
			{ name: 'Get a device', type: 'particle', parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox', device: { __rl: true, mode: 'list', value: '' } } },
		]);
		const ndv = await openNode('Get a device');
		await expect(ndv.getByRole('link', { name: /Docs/ }).first().getAttribute('href')).resolves.toMatch(/README\.md#particle-node$/);
		await page.getByTestId('rlc-input').first().click();
		const items = page.getByTestId('rlc-item');
		await items.first().waitFor(WAIT);
		const names = (await items.allInnerTexts()).map((text) => text.trim());
		expect(names.sort()).toEqual(cloud().fleet.sandboxDevices().map((device) => device.name).sort());
		await page.screenshot({ path: join(SCREENSHOTS, 'editor-device-picker.png') });
		await items.filter({ hasText: offline.name }).first().click();
		await closeNode();
		await page.keyboard.press('Control+s');

		const stored = async () => {
			const workflow = await demo.rest.call<{ nodes: Array<{ name: string; parameters: Record<string, unknown> }> }>('GET', `/workflows/${id}`);
			return workflow.nodes.find((node) => node.name === 'Get a device')?.parameters.device as Record<string, unknown> | undefined;
		};
		const deadline = Date.now() + 30_000;
		while ((await stored())?.value !== offline.id && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
		expect(await stored()).toMatchObject({ __rl: true, mode: 'list', value: offline.id, cachedResultName: offline.name });
	});

	it('shows display names as subtitles on the canvas', async () => {
		await openWorkflow('Subtitles', [
			{ name: 'Devices', type: 'particle', parameters: { resource: 'device', operation: 'getAll', deviceScope: 'sandbox' } },
			{ name: 'Offline alert', type: 'particleTrigger', parameters: { events: ['deviceWentOffline', 'vitalsThreshold'], deviceScope: 'sandbox' } },
			{ name: 'Live status', type: 'particleEventTrigger', parameters: { triggerOn: 'deviceStatus', events: ['deviceCameOnline'] } },
		]);
		const canvas = page.locator('#canvas, [data-test-id="canvas"]').first();
		await canvas.getByText('Get Many: Device', { exact: true }).waitFor(WAIT);
		await canvas.getByText('Device Went Offline, Vitals Crossed a Threshold', { exact: true }).waitFor(WAIT);
		await canvas.getByText('Device Came Online', { exact: true }).waitFor(WAIT);
		const text = await canvas.innerText();
		for (const raw of ['getAll', 'deviceWentOffline', 'vitalsThreshold', 'deviceCameOnline']) expect(text).not.toContain(raw);
	});

	it('fetches a Device Went Offline test event shaped as the real item: an offline device, online false', async () => {
		const offline = cloud().fleet.sandboxDevices().filter((device) => !device.online);
		expect(offline.length).toBeGreaterThan(0);
		await openWorkflow('Samples', [{ name: 'Offline alert', type: 'particleTrigger', parameters: { events: ['deviceWentOffline'], deviceScope: 'sandbox' } }]);
		const ndv = await openNode('Offline alert');
		// The Docs link goes to the trigger's own section of the README, not to the npm page.
		await expect(ndv.getByRole('link', { name: /Docs/ }).first().getAttribute('href')).resolves.toBe(new ParticleTrigger().description.documentationUrl);
		expect(new ParticleTrigger().description.documentationUrl).toMatch(/README\.md#particle-trigger$/);
		await ndv.getByTestId('node-execute-button').first().click();
		const output = page.getByTestId('output-panel');
		await output.getByText('deviceWentOffline').first().waitFor({ timeout: 60_000 });
		await output.getByText('JSON', { exact: true }).first().click();
		await output.getByText('"previouslyOnline"').first().waitFor(WAIT);
		const shown = (await output.innerText()).replace(/\s+/g, ' ');
		expect(shown).toContain('"online": false');
		expect(shown).toContain('"previouslyOnline": true');
		expect(shown).toContain('"sample": true');
		expect(offline.some((device) => shown.includes(device.id))).toBe(true);
		await page.screenshot({ path: join(SCREENSHOTS, 'editor-trigger-samples.png') });
		await closeNode();
	});

	it('offers one Custom API Call, n8n\'s, which points at the HTTP Request node and names the node', async () => {
		await openWorkflow('Custom call', [{ name: 'Get a device', type: 'particle', parameters: { resource: 'device', operation: 'get', deviceScope: 'sandbox' } }]);
		const ndv = await openNode('Get a device');
		const resources = await dropdownOptions('resource');
		const operations = await dropdownOptions('operation');
		expect(resources.filter((name) => name.startsWith('Custom API Call'))).toEqual(['Custom API Call']);
		expect(operations.filter((name) => name.startsWith('Custom API Call'))).toEqual(['Custom API Call']);
		// The node's own Resource list, as the node declares it, has every resource once.
		const declared = (new Particle().description.properties.find((property) => property.name === 'resource')?.options ?? []) as Array<{ name: string }>;
		expect(resources.length).toBe(declared.length - 1);

		await page.getByTestId('parameter-input-operation').click();
		await page.locator('.el-select-dropdown:visible .el-select-dropdown__item').filter({ hasText: /^Custom API Call/ }).first().click();
		await ndv.getByText('HTTP Request').first().waitFor(WAIT);
		await closeNode();
		const canvasText = await page.locator('#canvas, [data-test-id="canvas"]').first().innerText();
		expect(canvasText).not.toContain('__CUSTOM_API_CALL__');
		expect(canvasText).toContain('Make a custom API call');
	});

	it('lists the chosen device\'s variables in the Variable picker and stores the name picked', async () => {
		// The fake's firmware registers these variables; an online device answers for them.
		const device = cloud().fleet.sandboxDevices().find((candidate) => candidate.online && Object.keys(candidate.variables).length > 1)!;
		const expected = Object.keys(device.variables).sort();
		const picked = expected[expected.length - 1];
		const id = await openWorkflow('Variable picker', [
			{
				name: 'Read a variable',
				type: 'particle',
				parameters: {
					resource: 'variable',
					operation: 'get',
					deviceScope: 'sandbox',
					device: { __rl: true, mode: 'list', value: '' },
					variableName: { __rl: true, mode: 'list', value: '' },
				},
			},
		]);
		await openNode('Read a variable');
		const pickers = page.getByTestId('rlc-input');
		// Device, then Variable.
		await pickers.nth(1).waitFor(WAIT);
		expect(await pickers.count()).toBe(2);
		await pickers.nth(0).click();
		await pickFromOpenList(device.name);

		await pickers.nth(1).click();
		const names = await openListNames(expected.length);
		expect([...names].sort()).toEqual(expected);
		await page.screenshot({ path: join(SCREENSHOTS, 'editor-variable-picker.png') });
		await pickFromOpenList(picked);
		await closeNode();

		const stored = await saveUntil(id, 'Read a variable', (parameters) => (parameters.variableName as { value?: unknown } | undefined)?.value === picked);
		expect(stored.device).toMatchObject({ __rl: true, mode: 'list', value: device.id });
		expect(stored.variableName).toMatchObject({ __rl: true, mode: 'list', value: picked });
	});

	it('shows that the device is offline, when it was last heard and that the call was not sent again', async () => {
		const device = cloud().fleet.sandboxDevices().find((candidate) => !candidate.online && typeof candidate.last_heard === 'string')!;
		const callsBefore = device.calls.length;
		await openWorkflow(
			'Offline call',
			[
				{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
				{
					name: 'Switch the LED on',
					type: 'particle',
					parameters: {
						resource: 'function',
						operation: 'call',
						deviceScope: 'sandbox',
						device: { __rl: true, mode: 'id', value: device.id },
						functionName: { __rl: true, mode: 'name', value: 'led' },
						argument: 'on',
					},
				},
			],
			true,
		);
		const ndv = await openNode('Switch the LED on');
		cloud().clearRequests();
		await ndv.getByTestId('node-execute-button').first().click();
		const message = page.getByTestId('node-error-message').first();
		await message.waitFor({ timeout: 60_000 });
		const shownMessage = (await message.innerText()).replace(/\s+/g, ' ').trim();
		const shownDescription = (await page.getByTestId('node-error-description').first().innerText()).replace(/\s+/g, ' ').trim();
		expect(shownMessage).toContain(`Device "${device.name}" is offline, so Particle could not call its function "led"`);
		expect(shownDescription).toContain(`Particle last heard from it at ${device.last_heard}.`);
		expect(shownDescription).toContain('The call was not sent again.');
		await page.screenshot({ path: join(SCREENSHOTS, 'editor-offline-error.png') });
		// What reached the fake: the call once, then one read of the device; the device ran nothing.
		const toDevice = cloud().requests
			.filter((request) => request.path.startsWith(`/v1/devices/${device.id}`))
			.map((request) => `${request.method} ${request.path}`);
		const call = `POST /v1/devices/${device.id}/led`;
		expect(toDevice.filter((request) => request === call)).toHaveLength(1);
		expect(toDevice.slice(toDevice.indexOf(call))).toEqual([call, `GET /v1/devices/${device.id}`]);
		expect(device.calls).toHaveLength(callsBefore);
		await closeNode();
	});
});
