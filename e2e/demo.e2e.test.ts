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
import { launchBrowser, signIn } from './browser';
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

describe('in a real browser', () => {
	let page: Page;

	beforeAll(async () => {
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.setDefaultTimeout(30_000);
		await signIn(page, demo.n8n.url);
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
			await signIn(page, demo.n8n.url);
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
			'Particle demo: release firmware to a test group',
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

	it('call a function from a webhook: a bad call answers a 4xx with Particle\'s words, not n8n\'s 500', async () => {
		const call = async (body: Record<string, unknown>): Promise<{ status: number; json: { ok?: boolean; error?: string; description?: string } }> => {
			const response = await fetch(`${demo.n8n.url}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return { status: response.status, json: (await response.json()) as { ok?: boolean; error?: string; description?: string } };
		};
		const sentSince = (from: number) => cloud().requests.slice(from).filter((request) => request.method === 'POST');

		// A device the cloud does not know: Particle's 404 and its words come back.
		const unknown = 'ffffffffffffffffffffffff';
		let from = cloud().requests.length;
		const noDevice = await call({ device: unknown, function: 'setColor', argument: '1,2,3' });
		const [askedUnknown] = sentSince(from);
		expect(askedUnknown.path).toBe(`/v1/devices/${unknown}/setColor`);
		expect(askedUnknown.status).toBe(404);
		expect(noDevice.status).toBe(404);
		expect(noDevice.json.ok).toBe(false);
		expect(noDevice.json.error).toMatch(/Particle could not/);
		// Particle's own words for the same request, asked directly.
		const direct = await fetch(`${cloud().url}/v1/devices/${unknown}/setColor`, {
			method: 'POST',
			headers: { authorization: `Bearer ${cloud().tokens.user}`, 'content-type': 'application/json' },
			body: JSON.stringify({ arg: '1,2,3' }),
		});
		const words = ((await direct.json()) as { error?: string }).error ?? '';
		expect(words).not.toBe('');
		expect(noDevice.json.error).toContain(words);
		expect(noDevice.json.description).toEqual(expect.any(String));

		// A function the device does not have: the status follows Particle's (404 here; 400 when Particle says "not exposed").
		const device = onlineSandboxDevice(0);
		from = cloud().requests.length;
		const noFunction = await call({ device: device.id, function: 'selfDestruct' });
		const [askedFunction] = sentSince(from);
		expect(askedFunction.path).toBe(`/v1/devices/${device.id}/selfDestruct`);
		expect(noFunction.status).toBe(askedFunction.status === 404 ? 404 : 400);
		expect(noFunction.json.error).toContain('selfDestruct');

		// A device that is not connected: Particle's 404 "not connected", so a 404 with those words.
		// Not the device the offline alert test takes offline later (index 1).
		const sleeper = onlineSandboxDevice(2);
		cloud().setOnline(sleeper.id, false);
		try {
			from = cloud().requests.length;
			const offline = await call({ device: sleeper.id, function: 'setColor', argument: '1,2,3' });
			const [askedOffline] = sentSince(from);
			expect(askedOffline.status).toBe(404);
			expect(offline.status).toBe(404);
			expect(offline.json.error).toEqual(expect.any(String));
		} finally {
			cloud().setOnline(sleeper.id, true);
		}

		// No device at all: refused before anything is sent, as a 400.
		from = cloud().requests.length;
		const empty = await call({ function: 'setColor' });
		expect(empty.status).toBe(400);
		expect(empty.json.error).toEqual(expect.any(String));
		expect(sentSince(from)).toEqual([]);
		expect(cloud().fleet.devices.get(device.id)?.calls.filter((entry) => entry.name === 'selfDestruct')).toEqual([]);
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
		// The fleet operator's layout: who, when, online, then battery and signal, units in the header.
		expect(header.slice(0, 6)).toEqual(['device_id', 'device_name', 'platform', 'time', 'online', 'last_heard']);
		expect(header).toEqual(expect.arrayContaining(['battery_charge_pct', 'signal_strength_pct']));
		const sandbox = cloud().fleet.sandboxDevices();
		const devicesInFile = new Set(lines.slice(1).map((line) => line.split(',')[0]));
		// Every sandbox device that reported in the last day is in the one merged file.
		expect([...devicesInFile].every((deviceId) => sandbox.some((device) => device.id === deviceId))).toBe(true);
		expect(devicesInFile.size).toBeGreaterThanOrEqual(sandbox.filter((device) => device.online).length);
		expect(lines.length).toBeGreaterThan(devicesInFile.size);
	}, 170_000);
});

describe('npm start', () => {
	const noBuild = process.env.E2E_SKIP_BUILD === 'true' ? ['--no-build'] : [];

	interface Started {
		child: ReturnType<typeof spawn>;
		printed: () => string;
		exited: Promise<number | null>;
	}

	/** `npm start`'s process as a terminal runs it: its own process group, output collected. */
	function startLauncher(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Started {
		const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		let printed = '';
		child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
		child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		return { child, printed: () => printed, exited };
	}

	it('with --real-cloud: the URL and the login, no fake cloud, a trigger that cannot start named with its error, and Ctrl-C leaves no process behind', async () => {
		const userFolder = join(CACHE_DIR, 'e2e-start-user');
		const port = N8N_PORT + 10;
		// The event stream is refused: the live events workflow cannot be activated, and the banner must say so.
		cloud().injectFault({ method: 'GET', path: '/v1/devices/events', status: 403, times: 1000 });
		// "The real cloud" here is the fake one of the tests, reached only through the environment, as a user's would be.
		const launcher = startLauncher(
			process.execPath,
			['-r', '@swc-node/register', 'demo/start.ts', '--real-cloud', '--port', String(port), '--fresh', '--user-folder', userFolder, '--output', join(CACHE_DIR, 'e2e-start-output'), ...noBuild],
			{ PARTICLE_ACCESS_TOKEN: cloud().tokens.user, PARTICLE_BASE_URL: cloud().url },
		);
		const pid = launcher.child.pid as number;
		try {
			await waitFor('the ready banner of npm start', () => launcher.printed().includes('(started in'), { timeoutMs: 150_000 });
			const printed = launcher.printed();
			expect(printed).toContain(`n8n is ready, but 1 example workflow(s) could not be activated (see "Workflows" below): http://127.0.0.1:${port}`);
			expect(printed).toContain(`Log in with:    ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
			expect(printed).toContain(`Particle Cloud: the real one at ${cloud().url}`);
			expect(printed).toMatch(/ {2}active {7}Particle demo: offline alert/);
			expect(printed).toMatch(/ {2}active {7}Particle demo: call a function from a webhook/);
			expect(printed).toMatch(/ {2}NOT ACTIVE {3}Particle demo: live events: .*not allowed/);
			expect(printed).toContain(`Ctrl-C (or kill ${pid}) stops n8n and its task runner.`);
			expect(printed).not.toMatch(/fake/i);
			expect(printed).not.toContain(cloud().tokens.user);
			expect((await fetch(`http://127.0.0.1:${port}/healthz/readiness`)).status).toBe(200);
			const device = onlineSandboxDevice(0);
			// The example names one of your online devices, from the token check's device list.
			const named = /"device":"([0-9a-f]{24})","function":"<function name>"/.exec(printed)?.[1];
			expect(cloud().fleet.sandboxDevices().find((candidate) => candidate.id === named)?.online).toBe(true);
			const answer = await fetch(`http://127.0.0.1:${port}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ device: device.id, function: 'led', argument: 'on' }),
			});
			await expect(answer.json()).resolves.toMatchObject({ id: device.id, return_value: 1 });
			// n8n, its task runner, and npm start itself.
			const started = descendantsOf(pid);
			expect(started.length).toBeGreaterThanOrEqual(2);
			expect(processesUsing(userFolder).length).toBeGreaterThan(0);

			process.kill(-pid, 'SIGINT');
			await expect(launcher.exited).resolves.toBe(0);
			await waitFor(`no process left with N8N_USER_FOLDER=${userFolder}`, () => processesUsing(userFolder).length === 0, { timeoutMs: 20_000 });
			expect(started.filter(isAlive)).toEqual([]);
			await expect(fetch(`http://127.0.0.1:${port}/healthz/readiness`)).rejects.toThrow();
		} finally {
			cloud().clearFaults();
			if (launcher.child.exitCode === null) process.kill(-pid, 'SIGKILL');
			for (const leftover of processesUsing(userFolder)) process.kill(leftover, 'SIGKILL');
		}
	}, 200_000);

	it('kill -TERM <npm pid> stops the launcher, n8n, its task runner and the fake cloud; the next start continues the fleet, and SIGHUP stops it too', async () => {
		const userFolder = join(CACHE_DIR, 'e2e-sigterm-user');
		const port = N8N_PORT + 20;
		// The fake cloud on a port the system picks; the banner says which.
		const args = ['--port', String(port), '--cloud-port', '0', '--user-folder', userFolder, '--output', join(CACHE_DIR, 'e2e-sigterm-output'), ...noBuild];
		const cloudPortOf = (printed: string): number => Number(/the fake one at http:\/\/127\.0\.0\.1:(\d+)/.exec(printed)?.[1]);
		const listening = (wanted: number): boolean => listeningPorts().has(wanted);
		const leftovers: number[] = [];
		try {
			// As a user types it: npm, which runs the script under `sh -c`; only npm gets the signal.
			const npm = startLauncher('npm', ['start', '--silent', '--', ...args, '--fresh']);
			leftovers.push(npm.child.pid as number);
			await waitFor('the first ready banner', () => npm.printed().includes('(started in'), { timeoutMs: 150_000 });
			const fakePort = cloudPortOf(npm.printed());
			expect(fakePort).toBeGreaterThan(0);
			expect(npm.printed()).toContain('new; kept in');
			const started = descendantsOf(npm.child.pid as number);
			leftovers.push(...started);
			// npm, the shell, the launcher, n8n and its task runner.
			expect(started.length).toBeGreaterThanOrEqual(4);
			expect([port, port + 1, fakePort].map(listening)).toEqual([true, true, true]);

			process.kill(npm.child.pid as number, 'SIGTERM');
			await npm.exited;
			await waitFor('every process of the first start to end', () => started.filter(isAlive).length === 0, { timeoutMs: 30_000 });
			expect(processesUsing(userFolder)).toEqual([]);
			expect([port, port + 1, fakePort].map(listening)).toEqual([false, false, false]);
			const saved = JSON.parse(readFileSync(join(userFolder, 'fleet-state.json'), 'utf8')) as { devices: Record<string, { name: string; online: boolean; last_heard: string | null }> };

			// Same ports again: free, so it starts; the fleet continues from the saved state.
			const again = startLauncher(process.execPath, ['-r', '@swc-node/register', 'demo/start.ts', ...args]);
			const launcher = again.child.pid as number;
			leftovers.push(launcher);
			await waitFor('the second ready banner', () => again.printed().includes('(started in'), { timeoutMs: 150_000 });
			expect(again.printed()).toContain('continued from the last run');
			const secondCloud = cloudPortOf(again.printed());
			const listed = (await (
				await fetch(`http://127.0.0.1:${secondCloud}/v1/devices`, { headers: { authorization: `Bearer ${cloud().tokens.user}` } })
			).json()) as Array<{ id: string; name: string; online: boolean; last_heard: string | null }>;
			for (const device of listed) {
				const before = saved.devices[device.id];
				expect({ name: device.name, online: device.online }).toEqual({ name: before.name, online: before.online });
				expect(Date.parse(device.last_heard ?? '')).toBeGreaterThanOrEqual(Date.parse(before.last_heard ?? ''));
			}
			const second = descendantsOf(launcher);
			leftovers.push(...second);
			process.kill(launcher, 'SIGHUP');
			await expect(again.exited).resolves.toBe(0);
			await waitFor('every process of the second start to end', () => second.filter(isAlive).length === 0, { timeoutMs: 30_000 });
			expect([port, port + 1, secondCloud].map(listening)).toEqual([false, false, false]);
		} finally {
			for (const pid of [...leftovers, ...processesUsing(userFolder)].filter(isAlive)) process.kill(pid, 'SIGKILL');
		}
	}, 400_000);
});

/** Ports something listens on, from /proc/net/tcp and tcp6. */
function listeningPorts(): Set<number> {
	const ports = new Set<number>();
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		for (const line of readIfThere(file).split('\n').slice(1)) {
			const fields = line.trim().split(/\s+/);
			if (fields.length > 3 && fields[3] === '0A') ports.add(parseInt(fields[1].split(':')[1], 16));
		}
	}
	return ports;
}

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
