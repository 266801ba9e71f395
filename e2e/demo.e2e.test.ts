/**
 * The package where its users live: the demo launcher starts the fake cloud and a real n8n (Node 24) with this
 * package installed as a community node; a real browser builds a workflow with it; each example workflow runs once.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

import { DEMO_OWNER, startDemo, type Demo } from '../demo/launcher';
import { executeWorkflowOnce } from '../demo/n8n';
import { CACHE_DIR, REPO_ROOT } from '../demo/runtime';
import { ALERTS_FILE, CSV_FILE_PREFIX, EVENTS_FILE, WEBHOOK_PATH } from '../demo/workflows';
import { launchBrowser } from './browser';
import { waitFor } from './wait';

const N8N_PORT = Number(process.env.E2E_N8N_PORT ?? 5788);
const CLOUD_PORT = Number(process.env.E2E_CLOUD_PORT ?? 4110);
const SCREENSHOTS = process.env.E2E_SCREENSHOTS ?? join(REPO_ROOT, '.tmp', 'screenshots');
const OUTPUT = join(CACHE_DIR, 'e2e-output');

let demo: Demo;
let browser: Browser | undefined;
const log: string[] = [];

beforeAll(async () => {
	mkdirSync(SCREENSHOTS, { recursive: true });
	// Alerts, events and CSV files of an earlier run would make the checks below meaningless.
	rmSync(OUTPUT, { recursive: true, force: true });
	demo = await startDemo({
		n8nPort: N8N_PORT,
		cloudPort: CLOUD_PORT,
		// A still fleet: the tests make the changes and know what to expect.
		churnMs: 0,
		fresh: true,
		userFolder: join(CACHE_DIR, 'e2e-user'),
		outputDir: OUTPUT,
		skipBuild: process.env.E2E_SKIP_BUILD === 'true',
		say: (line) => log.push(line),
	});
}, 20 * 60_000);

afterAll(async () => {
	await browser?.close().catch(() => undefined);
	await demo?.stop();
}, 60_000);

function cloud(): NonNullable<Demo['cloud']> {
	if (!demo.cloud) throw new Error('the e2e tests run against the fake cloud');
	return demo.cloud;
}

function onlineSandboxDevice(index = 0): { id: string; name: string } {
	const devices = cloud().fleet.sandboxDevices().filter((device) => device.online);
	if (devices.length <= index) throw new Error('the demo fleet has too few online sandbox devices');
	return { id: devices[index].id, name: devices[index].name };
}

function readIfThere(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

async function signIn(page: Page): Promise<void> {
	await page.goto(`${demo.n8n.url}/signin`);
	await page.locator('input[name=emailOrLdapLoginId]').fill(DEMO_OWNER.email);
	await page.locator('input[name=password]').fill(DEMO_OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
}

describe('in a real browser', () => {
	let page: Page;

	beforeAll(async () => {
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(30_000);
		await signIn(page);
	}, 120_000);

	it('finds the three triggers in the node panel', async () => {
		await page.goto(`${demo.n8n.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Particle');
		const found = page.getByTestId('node-creator-item-name');
		// n8n names a trigger whose first options field says what it triggers on ("Trigger On") without the word Trigger.
		await found.filter({ hasText: /^\s*Particle Event\s*$/ }).waitFor();
		await found.filter({ hasText: /^\s*Particle Webhook Trigger\s*$/ }).waitFor();
		await page.screenshot({ path: join(SCREENSHOTS, 'node-panel-triggers.png') });

		// n8n shows the polling trigger inside the "Particle" entry, one line per event it watches.
		await found.filter({ hasText: /^Particle$/ }).click();
		const triggers = page.getByTestId('node-creator-item-name').filter({ hasText: /^On device went offline$/ });
		await triggers.waitFor();
		const names = await page.getByTestId('node-creator-item-name').allInnerTexts();
		expect(names).toEqual(
			expect.arrayContaining(['On device came online', 'On device went offline', 'On vitals crossed a threshold', 'On vitals updated']),
		);
	});

	it('adds the Particle node, uses the demo credential, and lists the demo devices', async () => {
		await page.goto(`${demo.n8n.url}/workflow/new`);
		await page.getByTestId('canvas-add-button').click();
		await page.getByTestId('node-creator-search-bar').fill('Particle');
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^Particle$/ }).click();
		await page.getByText(/^Actions \(\d+\)$/).click();
		await page.getByTestId('node-creator-item-name').filter({ hasText: /^Get many devices$/ }).click();

		const ndv = page.getByTestId('ndv');
		await ndv.waitFor();
		// Choose the demo credential as a user would (n8n preselects the only one; choosing it keeps it).
		await page.getByTestId('node-credentials-select').click();
		await page.getByRole('option', { name: demo.credential.name }).click();
		await expect(page.getByTestId('node-credentials-select').locator('input').inputValue()).resolves.toBe(demo.credential.name);
		await expect(page.getByTestId('parameter-input-resource').locator('input').inputValue()).resolves.toBe('Device');
		await expect(page.getByTestId('parameter-input-operation').locator('input').inputValue()).resolves.toBe('Get Many');

		const before = cloud().requests.length;
		await page.getByTestId('node-execute-button').first().click();
		const expected = cloud()
			.fleet.sandboxDevices()
			.map((device) => device.name);
		const output = page.getByTestId('output-panel');
		await output.getByText(expected[0], { exact: false }).first().waitFor({ timeout: 60_000 });
		const shown = await output.innerText();
		for (const name of expected) expect(shown).toContain(name);
		await page.screenshot({ path: join(SCREENSHOTS, 'particle-device-get-many.png') });

		const listed = cloud()
			.requests.slice(before)
			.filter((request) => request.method === 'GET' && request.path === '/v1/devices');
		expect(listed.length).toBeGreaterThanOrEqual(1);
		expect(listed[0].headers.authorization).toBe(`Bearer ${cloud().tokens.user}`);
		expect(JSON.stringify(listed[0].query)).not.toContain(cloud().tokens.user);
	});
});

describe('the example workflows, run once each', () => {
	it('are imported, with the demo credential, and open in the editor', async () => {
		if (!browser) throw new Error('the browser tests start the browser');
		const page = await browser.newPage({ viewport: { width: 1440, height: 700 } });
		try {
			await signIn(page);
			const id = demo.workflowIds.get('Particle demo: offline alert');
			await page.goto(`${demo.n8n.url}/workflow/${id}`);
			await waitFor('the four nodes of the offline alert on the canvas', async () => (await page.getByTestId('canvas-node').count()) === 4, {
				timeoutMs: 30_000,
			});
			await page.getByTestId('zoom-to-fit').click();
			await page.screenshot({ path: join(SCREENSHOTS, 'offline-alert-workflow.png') });
		} finally {
			await page.close();
		}
		expect([...demo.workflowIds.keys()].sort()).toEqual([
			'Particle demo: call a function from a webhook',
			'Particle demo: live events',
			'Particle demo: offline alert',
			'Particle demo: scheduled vitals CSV export',
		]);
	});

	it('call a function from a webhook: the response carries the return_value and the device ran the call', async () => {
		const device = onlineSandboxDevice(0);
		const response = await fetch(`${demo.n8n.url}/webhook/${WEBHOOK_PATH}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ device: device.id, function: 'setColor', argument: '0,128,255' }),
		});
		expect(response.status).toBe(200);
		const body = (await response.json()) as { return_value?: number; id?: string };
		expect(body).toMatchObject({ id: device.id, return_value: 1 });
		const calls = cloud().fleet.devices.get(device.id)?.calls ?? [];
		expect(calls.filter((call) => call.name === 'setColor' && call.arg === '0,128,255')).toHaveLength(1);
	});

	it('live events: an event published to the cloud reaches the trigger and the log file', async () => {
		const marker = `e2e-${Date.now()}`;
		const file = join(OUTPUT, EVENTS_FILE);
		// The stream is opened on activation; publish only once the trigger is listening.
		await waitFor('the event trigger to open its stream', () => cloud().openStreams() > 0, { timeoutMs: 30_000 });
		const published = await fetch(`${cloud().url}/v1/devices/events`, {
			method: 'POST',
			headers: { authorization: `Bearer ${cloud().tokens.user}`, 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'demo/e2e', data: marker, private: true }),
		});
		expect(published.status).toBe(200);
		const line = await waitFor(
			`"${marker}" in ${file}`,
			() => readIfThere(file).split('\n').find((text) => text.includes(marker)),
			{ timeoutMs: 30_000 },
		);
		expect(line).toContain('demo/e2e');
		expect(readIfThere(file).split(marker).length - 1).toBe(1);
	});

	it('offline alert: a device the cloud takes offline is reported once in the alerts file', async () => {
		const device = onlineSandboxDevice(1);
		const file = join(OUTPUT, ALERTS_FILE);
		expect(readIfThere(file)).not.toContain(device.id);
		cloud().setOnline(device.id, false);
		// The trigger polls every minute (n8n's shortest interval), so this waits up to a minute and a bit.
		const line = await waitFor(`an offline alert for ${device.id} in ${file}`, () => readIfThere(file).split('\n').find((text) => text.includes(device.id)), {
			timeoutMs: 150_000,
			everyMs: 1000,
		});
		expect(line).toContain(`ALERT ${device.name} (${device.id}) went offline`);
	}, 170_000);

	it('scheduled vitals CSV export: one CSV with the expected columns and a row per record', async () => {
		const id = demo.workflowIds.get('Particle demo: scheduled vitals CSV export');
		if (!id) throw new Error('the CSV workflow was not imported');
		const before = new Set(readdirSync(OUTPUT));
		await executeWorkflowOnce(demo.runtime, demo.n8n.env, id, { brokerPort: N8N_PORT + 2 });
		const created = readdirSync(OUTPUT).filter((name) => !before.has(name) && name.startsWith(CSV_FILE_PREFIX) && name.endsWith('.csv'));
		expect(created).toHaveLength(1);
		const lines = readFileSync(join(OUTPUT, created[0]), 'utf8').trim().split(/\r?\n/);
		const header = lines[0].split(',');
		expect(header.slice(0, 3)).toEqual(['device_id', 'device_name', 'timestamp']);
		expect(header).toEqual(expect.arrayContaining(['device.power.battery.charge', 'device.network.signal.strength']));
		const sandbox = cloud().fleet.sandboxDevices();
		const devicesInFile = new Set(lines.slice(1).map((line) => line.split(',')[0]));
		// Every sandbox device that reported in the last day is in the one merged file.
		expect([...devicesInFile].every((deviceId) => sandbox.some((device) => device.id === deviceId))).toBe(true);
		expect(devicesInFile.size).toBeGreaterThanOrEqual(sandbox.filter((device) => device.online).length);
		expect(lines.length).toBeGreaterThan(devicesInFile.size);
	}, 170_000);
});

describe('npm start', () => {
	it('with --real-cloud: prints the URL and the login, acts through the given cloud, and Ctrl-C leaves no process behind', async () => {
		const userFolder = join(CACHE_DIR, 'e2e-start-user');
		const port = N8N_PORT + 10;
		// "The real cloud" here is the fake one of the tests, reached only through the environment, as a user's would be.
		const launcher = spawn(process.execPath, ['-r', '@swc-node/register', 'demo/start.ts', '--real-cloud', '--port', String(port), '--fresh', '--user-folder', userFolder, '--output', join(CACHE_DIR, 'e2e-start-output')], {
			cwd: REPO_ROOT,
			env: { ...process.env, PARTICLE_ACCESS_TOKEN: cloud().tokens.user, PARTICLE_BASE_URL: cloud().url },
			// Its own process group, as a terminal gives it: Ctrl-C reaches the whole group.
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let printed = '';
		launcher.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
		launcher.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
		const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
		try {
			await waitFor('the ready banner of npm start', () => printed.includes('Ctrl-C stops'), { timeoutMs: 120_000 });
			expect(printed).toContain(`n8n is ready:   http://127.0.0.1:${port}`);
			expect(printed).toContain(`Log in with:    ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
			expect(printed).toContain('Particle Cloud: the real one');
			expect(printed).not.toContain(cloud().tokens.user);
			expect((await fetch(`http://127.0.0.1:${port}/healthz/readiness`)).status).toBe(200);
			const device = onlineSandboxDevice(0);
			const answer = await fetch(`http://127.0.0.1:${port}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ device: device.id, function: 'led', argument: 'on' }),
			});
			await expect(answer.json()).resolves.toMatchObject({ id: device.id, return_value: 1 });
			// n8n, its task runner, and npm start itself.
			const started = descendantsOf(launcher.pid as number);
			expect(started.length).toBeGreaterThanOrEqual(2);
			expect(processesUsing(userFolder).length).toBeGreaterThan(0);

			process.kill(-(launcher.pid as number), 'SIGINT');
			await expect(exited).resolves.toBe(0);
			await waitFor(`no process left with N8N_USER_FOLDER=${userFolder}`, () => processesUsing(userFolder).length === 0, { timeoutMs: 20_000 });
			expect(started.filter(isAlive)).toEqual([]);
			await expect(fetch(`http://127.0.0.1:${port}/healthz/readiness`)).rejects.toThrow();
		} finally {
			if (launcher.exitCode === null) process.kill(-(launcher.pid as number), 'SIGKILL');
			for (const pid of processesUsing(userFolder)) process.kill(pid, 'SIGKILL');
		}
	}, 170_000);
});

/** PIDs of live processes whose environment names this n8n user folder: n8n and its task runners. */
function processesUsing(userFolder: string): number[] {
	const wanted = `N8N_USER_FOLDER=${userFolder}`;
	const pids: number[] = [];
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(wanted)) pids.push(Number(entry));
		} catch {
			// Gone meanwhile, or not ours to read.
		}
	}
	return pids;
}

function parentOf(pid: number): number | null {
	try {
		// The command name, in parentheses, may hold spaces: the fields after its closing parenthesis are fixed.
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
	} catch {
		return null;
	}
}

function descendantsOf(root: number): number[] {
	const all = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number);
	const found = new Set<number>([root]);
	for (let grew = true; grew; ) {
		grew = false;
		for (const pid of all) {
			const parent = parentOf(pid);
			if (!found.has(pid) && parent !== null && found.has(parent)) {
				found.add(pid);
				grew = true;
			}
		}
	}
	return [...found];
}

function isAlive(pid: number): boolean {
	try {
		// A zombie has exited; only its entry is left.
		return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
	} catch {
		return false;
	}
}
