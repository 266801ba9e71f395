/**
 * Runs P1-P6 one after the other and writes bench/RESULTS.md: the machine, the date, every figure with its baseline,
 * the ratio, the target, met or missed, and why.
 * Run: npm run bench [-- --quick]   (node --expose-gc -r @swc-node/register bench/run.ts)
 *      npm run bench -- --only P6     re-runs the named benchmarks and replaces only their sections in RESULTS.md
 *      --out <file>                   writes there instead; a --quick run writes .tmp/RESULTS.quick.md unless told,
 *                                     so a smoke run (CI) never replaces the figures of record
 */
import './env';

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

import { explain as explainP1, METHOD as P1_METHOD, run as p1 } from './p1Throughput';
import { run as p2 } from './p2PollCost';
import { run as p3 } from './p3EventTrigger';
import { METHOD as P4_METHOD, run as p4 } from './p4Csv';
import { METHOD as P5_METHOD, run as p5 } from './p5FleetScale';
import { formatNumber, hardTimeout, parseOptions, type BenchOptions, type Figure } from './lib';
import { EXPLANATIONS, METHOD } from './results';

/**
 * `method`: how it measures, for a benchmark that keeps that text with itself rather than in results.ts; `explain`:
 * why each target is met or missed, written from the run's own figures (else the fixed text in results.ts).
 */
const BENCHMARKS: Array<{
	id: string;
	title: string;
	run: (options: BenchOptions) => Promise<Figure[]>;
	method?: string;
	explain?: (figures: Figure[]) => string;
}> = [
	{ id: 'P1', title: 'P1 action throughput (a fleet operator\'s questions)', run: p1, method: P1_METHOD, explain: explainP1 },
	{ id: 'P2', title: 'P2 poll cost', run: p2 },
	{ id: 'P3', title: 'P3 event trigger', run: p3 },
	{ id: 'P4', title: 'P4 CSV export', run: p4, method: P4_METHOD },
	{ id: 'P5', title: 'P5 fleet scale (polling trigger, 50,000 devices)', run: p5, method: P5_METHOD },
	{ id: 'P6', title: 'P6 status stream', run: async (options) => (await import('./p6StatusStream')).run(options) },
];

const cell = (text: string) => text.replace(/\|/g, '\\|');

function row(figure: Figure): string {
	const status = figure.met === undefined ? '' : figure.met ? 'met' : '**missed**';
	const ratio = figure.ratio === undefined ? '' : `${formatNumber(figure.ratio)}x${figure.ratioNote ? ` (${figure.ratioNote})` : ''}`;
	return `| ${cell(figure.name)} | ${formatNumber(figure.value)} ${figure.unit} | ${figure.baseline ? `${cell(figure.baseline.name)}: ${formatNumber(figure.baseline.value)} ${figure.unit}` : ''} | ${cell(ratio)} | ${cell(figure.target ?? '')} | ${status} | ${figure.runs ?? ''} | ${cell(figure.note ?? '')} |`;
}

/** `--only P5,P6`: the benchmarks to run; all when absent. */
function onlyIds(argv: string[] = process.argv.slice(2)): Set<string> | undefined {
	const at = argv.indexOf('--only');
	return at === -1 || at + 1 >= argv.length ? undefined : new Set(argv[at + 1].split(',').map((id) => id.trim().toUpperCase()));
}

/** `--out <file>`: where to write; absent, RESULTS.md (or .tmp/RESULTS.quick.md for --quick). */
function outputPath(quick: boolean, argv: string[] = process.argv.slice(2)): string {
	const at = argv.indexOf('--out');
	if (at !== -1 && at + 1 < argv.length) return argv[at + 1];
	if (!quick) return join(__dirname, 'RESULTS.md');
	const folder = join(__dirname, '..', '.tmp');
	mkdirSync(folder, { recursive: true });
	return join(folder, 'RESULTS.quick.md');
}

/** Replaces the sections of the benchmarks that ran in an existing RESULTS.md, keeping the rest as it was. */
function replaceSections(previous: string, ran: Array<{ id: string; title: string; section: string }>, note: string): string {
	let text = previous;
	for (const { id, section } of ran) {
		// A section is found by its id, so a benchmark whose title changed replaces its old section.
		const start = text.search(new RegExp(`^## ${id} `, 'm'));
		if (start === -1) {
			text = `${text.trimEnd()}\n\n${section}\n`;
			continue;
		}
		const next = text.indexOf('\n## ', start + 3);
		text = `${text.slice(0, start)}${section}\n${next === -1 ? '' : text.slice(next + 1)}`;
	}
	// Earlier failures of the benchmarks that ran again are now their new sections' business.
	const ids = new Set(ran.map((entry) => entry.id));
	text = text
		.split('\n')
		.filter((line) => ![...ids].some((id) => line.startsWith(`- ${id}: `)))
		.join('\n')
		.replace(/\n\*\*Failures:\*\*\n(?!- )/, '\n');
	return text.replace(/\n(Machine: )/, `\n${note}\n\n$1`);
}

async function main(): Promise<void> {
	const options = parseOptions();
	const only = onlyIds();
	// The full run: P1 alone takes about 15 minutes at device latency while the default concurrency is 1.
	hardTimeout(options.quick ? 600_000 : 3_600_000, 'bench');
	const started = new Date();
	const sections: string[] = [];
	const failures: string[] = [];
	const ran: Array<{ id: string; title: string; section: string }> = [];
	for (const benchmark of BENCHMARKS.filter((entry) => only === undefined || only.has(entry.id))) {
		console.log(`--- ${benchmark.title}`);
		let figures: Figure[] = [];
		try {
			figures = await benchmark.run(options);
		} catch (error) {
			failures.push(`${benchmark.id}: ${(error as Error).message}`);
			console.error(error);
		}
		const missed = figures.filter((figure) => figure.met === false);
		const explanation = benchmark.explain && figures.length > 0 ? benchmark.explain(figures) : EXPLANATIONS[benchmark.id];
		const section = [
				`## ${benchmark.title}`,
				'',
				METHOD[benchmark.id] ?? benchmark.method ?? '',
				'',
				'| Figure | Value | Baseline | Ratio | Target | Met | Runs (median) | Notes |',
				'|---|---|---|---|---|---|---|---|',
				...figures.map(row),
				'',
				// The notes say why a target is missed, or what changed to meet it.
				...(explanation ? [explanation, ''] : missed.length > 0 ? ['A target was missed; no explanation was written for it.', ''] : []),
			].join('\n');
		sections.push(section);
		ran.push({ id: benchmark.id, title: benchmark.title, section });
	}
	const cpu = cpus();
	const header = [
		'# Benchmarks',
		'',
		`Written by \`npm run bench${options.quick ? ' -- --quick' : ''}\` on ${started.toISOString().slice(0, 10)} (started ${started.toISOString()}, took ${Math.round((Date.now() - started.getTime()) / 1000)} s).`,
		'',
		`Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform} ${process.arch}.`,
		'The machine was shared: other engineers ran tests on the same 2 cores during the run. Each figure is therefore',
		'compared with a baseline measured in the same run (interleaved where it matters) and is the median of several runs,',
		'so most of the noise cancels in the ratio; absolute times are indicative only.',
		...(options.quick ? ['', '**Quick run** (`--quick`): smaller counts and one run each; a smoke test, not the figures of record.'] : []),
		...(failures.length > 0 ? ['', '**Failures:**', ...failures.map((failure) => `- ${failure}`)] : []),
		'',
		'Everything runs against the fake Particle Cloud on 127.0.0.1 (`fake-cloud/`), through n8n-core 2.41.1\'s real',
		'`WorkflowExecute`, `PollContext` and `TriggerContext` (the test harness in `test/harness/`, and `bench/engine.ts`).',
		'',
	].join('\n');
	const path = outputPath(options.quick);
	if (only !== undefined && existsSync(path)) {
		const note = `${[...only].join(', ')} re-run alone on ${started.toISOString()} (${Math.round((Date.now() - started.getTime()) / 1000)} s)${failures.length > 0 ? `; failures: ${failures.join('; ')}` : ''}.`;
		writeFileSync(path, replaceSections(readFileSync(path, 'utf8'), ran, note));
	} else {
		writeFileSync(path, `${header}\n${sections.join('\n')}\n`);
	}
	console.log(`wrote ${path}`);
	process.exit(failures.length > 0 ? 1 : 0);
}

void main();
