/**
 * `npm start`: the fake Particle Cloud and a real n8n with this package and example workflows, until Ctrl-C.
 *
 *   npm start -- [--port 5678] [--cloud-port 4010] [--churn-ms 4000] [--fresh] [--real-cloud]
 *
 * `--real-cloud` uses the Particle Cloud itself with the token in PARTICLE_ACCESS_TOKEN (and PARTICLE_BASE_URL for a
 * private cloud); the fake cloud is not started.
 */
import { join, resolve } from 'node:path';

import { DEMO_OWNER, startDemo, type Demo, type DemoOptions } from './launcher';
import { ALERTS_FILE, EVENTS_FILE, WEBHOOK_PATH } from './workflows';

const USAGE = `usage: npm start -- [--port 5678] [--cloud-port 4010] [--churn-ms 4000] [--fresh] [--real-cloud]
                    [--user-folder .demo-cache/user] [--output demo-output]
  --port        n8n's port (the task broker takes the next one)
  --cloud-port  the fake Particle Cloud's port
  --churn-ms    time between fake fleet changes; 0 keeps the fleet still
  --fresh       start from an empty n8n (your demo workflows and executions are deleted)
  --real-cloud  use the Particle Cloud with PARTICLE_ACCESS_TOKEN (PARTICLE_BASE_URL for a private cloud)
  --user-folder n8n's user folder (database, settings, community nodes)
  --output      where the example workflows write alerts, events and CSV files
`;

function parse(argv: string[]): DemoOptions {
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
		else if (flag === '--fresh') options.fresh = true;
		else if (flag === '--user-folder' || flag === '--output') {
			const folder = argv[++i];
			if (!folder) throw new Error(`${flag} needs a folder`);
			if (flag === '--user-folder') options.userFolder = resolve(folder);
			else options.outputDir = resolve(folder);
		}
		else if (flag === '--real-cloud') {
			const accessToken = process.env.PARTICLE_ACCESS_TOKEN ?? '';
			if (!accessToken) throw new Error('--real-cloud needs your Particle access token in PARTICLE_ACCESS_TOKEN');
			options.realCloud = { accessToken, baseUrl: process.env.PARTICLE_BASE_URL ?? 'https://api.particle.io' };
		} else throw new Error(`unknown option ${flag}`);
	}
	return options;
}

function banner(demo: Demo): string {
	const device = demo.cloud?.fleet.sandboxDevices().find((candidate) => candidate.online);
	const lines = [
		'',
		`n8n is ready:   ${demo.n8n.url}`,
		`Log in with:    ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
		demo.cloud
			? `Particle Cloud: the fake one at ${demo.cloud.url} (credential "${demo.credential.name}")`
			: `Particle Cloud: the real one (credential "${demo.credential.name}")`,
		'',
		'Try first:',
		'  1. Open "Particle demo: call a function from a webhook", or call it from a shell:',
		`       curl -s -X POST ${demo.n8n.url}/webhook/${WEBHOOK_PATH} -H 'content-type: application/json' \\`,
		`         -d '{"device":"${device?.id ?? '<device id>'}","function":"setColor","argument":"255,0,0"}'`,
		'  2. Add a Particle node to a new workflow: Device > Get Many, and execute it.',
		`  3. Watch the alerts and events arrive:  tail -f ${join(demo.outputDir, ALERTS_FILE)} ${join(demo.outputDir, EVENTS_FILE)}`,
		'  4. Run "Particle demo: scheduled vitals CSV export" by hand (Execute workflow); the CSV lands in',
		`       ${demo.outputDir}`,
		'',
		`n8n's log: ${demo.n8n.logFile}`,
		'Ctrl-C stops n8n and the fake cloud.',
		'',
	];
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
	const startedAt = Date.now();
	const demo = await startDemo(options);
	process.stdout.write(banner(demo));
	process.stdout.write(`(started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)\n`);

	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`\n${signal}: stopping n8n and the fake cloud...\n`);
		demo.stop().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => shutdown('SIGINT'));
	process.on('SIGTERM', () => shutdown('SIGTERM'));
	void demo.n8n.exited.then((code) => {
		if (stopping) return;
		process.stderr.write(`n8n stopped by itself (exit code ${code}); see ${demo.n8n.logFile}\n`);
		shutdown('n8n exited');
	});
}

main().catch((error: Error) => {
	process.stderr.write(`The demo could not start: ${error.message}\n`);
	process.exit(1);
});
