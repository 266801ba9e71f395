/**
 * `npm start`: the fake Particle Cloud and a real n8n with this package and example workflows, until Ctrl-C, SIGTERM
 * or SIGHUP (or until npm, which started it, is gone).
 *
 *   npm start -- [--port 5678] [--cloud-port 4010] [--churn-ms 120000] [--fresh] [--real-cloud]
 *
 * `--real-cloud` uses the Particle Cloud itself with the token in PARTICLE_ACCESS_TOKEN (and PARTICLE_BASE_URL for a
 * private cloud); the fake cloud is not started.
 */
import { join, resolve } from 'node:path';

import { DEFAULT_CHANGE_EVERY_MS, DEFAULT_READING_EVERY_MS } from '../fake-cloud/script';
import { DEMO_OWNER, DemoCannotStart, startDemo, type Demo, type DemoOptions, type DemoWorkflowState } from './launcher';
import { formatDuration } from './runtime';
import { ALERTS_FILE, EVENTS_FILE, WEBHOOK_PATH } from './workflows';

const USAGE = `usage: npm start -- [--port 5678] [--cloud-port 4010] [--churn-ms ${DEFAULT_CHANGE_EVERY_MS}] [--reading-ms ${DEFAULT_READING_EVERY_MS}]
                    [--fresh] [--real-cloud] [--no-build] [--user-folder .demo-cache/user] [--output demo-output]
  --port        n8n's port (the task broker takes the next one)
  --cloud-port  the fake Particle Cloud's port
  --churn-ms    mean time between fake devices going offline or coming back (default 2 minutes); 0 keeps the
                fleet still (no readings either)
  --reading-ms  time between demo/temperature readings (default 5 s)
  --fresh       start from an empty n8n and a new fake fleet (your demo workflows and executions are deleted)
  --real-cloud  use the Particle Cloud with PARTICLE_ACCESS_TOKEN (PARTICLE_BASE_URL for a private cloud)
  --no-build    use dist/ as it is (skip npm run build)
  --user-folder n8n's user folder (database, settings, community nodes, the fake fleet's state)
  --output      where the example workflows write alerts, events and CSV files
`;

/** The signals that stop the demo as Ctrl-C does: a terminal closing sends SIGHUP, `kill` SIGTERM. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function parse(argv: string[], env: NodeJS.ProcessEnv = process.env): DemoOptions {
	const options: DemoOptions = {};
	const number = (flag: string, text: string | undefined): number => {
		if (text === undefined || !/^\d+$/.test(text)) throw new Error(`${flag} needs a number`);
		return Number(text);
	};
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flag === '--port') options.n8nPort = number(flag, argv[++i]);
		else if (flag === '--cloud-port') options.cloudPort = number(flag, argv[++i]);
		else if (flag === '--churn-ms') options.churnMs = number(flag, argv[++i]);
		else if (flag === '--reading-ms') options.readingMs = number(flag, argv[++i]);
		else if (flag === '--fresh') options.fresh = true;
		else if (flag === '--no-build') options.skipBuild = true;
		else if (flag === '--user-folder' || flag === '--output') {
			const folder = argv[++i];
			if (!folder) throw new Error(`${flag} needs a folder`);
			if (flag === '--user-folder') options.userFolder = resolve(folder);
			else options.outputDir = resolve(folder);
		} else if (flag === '--real-cloud') {
			const accessToken = env.PARTICLE_ACCESS_TOKEN ?? '';
			if (!accessToken) throw new Error('--real-cloud needs your Particle access token in PARTICLE_ACCESS_TOKEN');
			options.realCloud = { accessToken, baseUrl: env.PARTICLE_BASE_URL ?? 'https://api.particle.io' };
		} else throw new Error(`unknown option ${flag}`);
	}
	return options;
}

function every(ms: number): string {
	return ms % 60_000 === 0 ? `${ms / 60_000} min` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function workflowLines(states: DemoWorkflowState[], realCloud: boolean): string[] {
	const lines = ['Workflows:'];
	for (const { name, activation } of states) {
		if (activation.state === 'active') lines.push(`  active       ${name}`);
		else if (activation.state === 'off') lines.push(`  off          ${name} (turned off in n8n; turn it on there to use it)`);
		else if (activation.state === 'pending') lines.push(`  not yet      ${name} (n8n is still activating it: ${activation.status})`);
		else lines.push(`  NOT ACTIVE   ${name}: ${activation.error}`);
	}
	if (states.some((state) => state.activation.state === 'failed')) {
		lines.push(
			realCloud
				? '  n8n tries again by itself. Check that the token may list your devices and open their event stream (a user token), then open the workflow in n8n.'
				: "  n8n tries again by itself; open the workflow in n8n for the details, and see n8n's log.",
		);
	}
	return lines;
}

export function banner(demo: Demo, options: DemoOptions): string {
	const fake = demo.cloud !== undefined;
	const failed = demo.activations.filter((state) => state.activation.state === 'failed').length;
	const device = demo.exampleDevice;
	const churnMs = options.churnMs ?? DEFAULT_CHANGE_EVERY_MS;
	const lines = [
		'',
		failed > 0
			? `n8n is ready, but ${failed} example workflow(s) could not be activated (see "Workflows" below): ${demo.n8n.url}`
			: `n8n is ready:   ${demo.n8n.url}`,
		`Log in with:    ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
	];
	if (demo.cloud) {
		lines.push(`Particle Cloud: the fake one at ${demo.cloud.url} (credential "${demo.credential.name}")`);
		lines.push(
			churnMs > 0
				? `Fake fleet:     a device goes offline or comes back about every ${every(churnMs)}, a demo/temperature reading every ${every(options.readingMs ?? DEFAULT_READING_EVERY_MS)}`
				: 'Fake fleet:     still (--churn-ms 0)',
		);
		if (demo.fleetState) {
			const { file, loaded } = demo.fleetState;
			lines.push(
				loaded.from === 'file'
					? `                continued from the last run (${file})`
					: `                ${loaded.reason ?? `new; kept in ${file} for the next run`}`,
			);
		}
	} else {
		lines.push(`Particle Cloud: the real one at ${demo.realCloudUrl ?? 'https://api.particle.io'} (credential "${demo.credential.name}", your token)`);
	}
	lines.push('', ...workflowLines(demo.activations, !fake), '', 'Try first:');
	if (fake) {
		lines.push(
			'  1. Open "Particle demo: call a function from a webhook", or call it from a shell:',
			`       curl -s -X POST ${demo.n8n.url}/webhook/${WEBHOOK_PATH} -H 'content-type: application/json' \\`,
			`         -d '{"device":"${device?.id ?? '<device id>'}","function":"setColor","argument":"255,0,0"}'`,
			`     (${device?.name ?? 'that device'} stays online; an unknown device or function answers 404 with Particle's words)`,
		);
	} else {
		lines.push(
			'  1. Open "Particle demo: call a function from a webhook", or call a function of your own firmware from a shell',
			'     (this calls it on your real device):',
			`       curl -s -X POST ${demo.n8n.url}/webhook/${WEBHOOK_PATH} -H 'content-type: application/json' \\`,
			`         -d '{"device":"${device?.id ?? '<device id>'}","function":"<function name>","argument":"<argument>"}'`,
		);
	}
	lines.push(
		'  2. Add a Particle node to a new workflow: Device > Get Many, and execute it.',
		`  3. Watch the alerts and events arrive:  tail -f ${join(demo.outputDir, ALERTS_FILE)} ${join(demo.outputDir, EVENTS_FILE)}`,
		'  4. Run "Particle demo: scheduled vitals CSV export" by hand (Execute workflow); the CSV lands in',
		`       ${demo.outputDir}`,
		'',
		`n8n's log: ${demo.n8n.logFile}`,
		fake
			? `Ctrl-C (or kill ${process.pid}) stops n8n, its task runner and the fake cloud.`
			: `Ctrl-C (or kill ${process.pid}) stops n8n and its task runner.`,
		'',
	);
	return lines.join('\n');
}

async function main(): Promise<void> {
	if (process.argv.includes('--help')) {
		process.stdout.write(USAGE);
		return;
	}
	let options: DemoOptions;
	try {
		options = parse(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n${USAGE}`);
		process.exitCode = 2;
		return;
	}

	// From the first moment: a signal during the long start stops what has started, instead of leaving n8n behind.
	const starting = new AbortController();
	let demo: Demo | undefined;
	let stopping = false;
	const shutdown = (why: string): void => {
		if (stopping) {
			// A second signal: stop now; n8n's process group is killed on exit.
			process.exit(1);
		}
		stopping = true;
		const what = options.realCloud ? 'n8n' : 'n8n and the fake cloud';
		process.stdout.write(`\n${why}: stopping ${what}...\n`);
		if (!demo) {
			starting.abort();
			return;
		}
		demo.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	for (const signal of STOP_SIGNALS) process.on(signal, () => shutdown(signal));
	// `npm start` runs this under `sh -c`; `kill <npm pid>` ends npm and the shell but never reaches this process.
	// Seeing its parent change is the one sign left, and it means the same as a signal.
	const parentAtStart = process.ppid;
	const parentWatch = setInterval(() => {
		if (process.ppid !== parentAtStart) shutdown(`the process that started the demo (PID ${parentAtStart}) is gone`);
	}, 1000);
	parentWatch.unref();

	const startedAt = Date.now();
	try {
		demo = await startDemo({ ...options, signal: starting.signal });
	} catch (error) {
		if (starting.signal.aborted) {
			process.stdout.write('Stopped before the demo was ready; nothing is left running.\n');
			process.exit(0);
		}
		const message = (error as Error).message;
		process.stderr.write(error instanceof DemoCannotStart ? `The demo did not start.\n${message}\n` : `The demo could not start: ${message}\n`);
		process.exit(1);
	}
	if (stopping) {
		// A signal arrived as the start finished.
		await demo.stop();
		process.exit(0);
	}
	process.stdout.write(banner(demo, options));
	process.stdout.write(`(started in ${formatDuration(Date.now() - startedAt)})\n`);
	void demo.n8n.exited.then((code) => {
		if (stopping) return;
		process.stderr.write(`n8n stopped by itself (exit code ${code}); see ${demo?.n8n.logFile}\n`);
		shutdown('n8n exited');
	});
}

if (require.main === module) {
	main().catch((error: Error) => {
		process.stderr.write(`The demo could not start: ${error.message}\n`);
		process.exit(1);
	});
}
