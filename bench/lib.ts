/** Shared pieces of the benchmarks: figures, medians, timing, a hard timeout. Benchmarks print figures; never tests. */

export interface BenchOptions {
	/** A short smoke run: smaller counts, fewer repetitions. The figures are then indicative only. */
	quick: boolean;
}

/** One measured figure, compared with a baseline measured in the same run. */
export interface Figure {
	/** P1..P6 */
	group: string;
	name: string;
	value: number;
	unit: string;
	/** How many runs the median was taken over. */
	runs?: number;
	baseline?: { name: string; value: number };
	/** value / baseline, or as `ratioNote` says. */
	ratio?: number;
	ratioNote?: string;
	/** Human-readable target, e.g. "<= 1.3x undici". */
	target?: string;
	/** Undefined: no target for this figure (context only). */
	met?: boolean;
	/** Why a target is missed, or what the figure means. */
	note?: string;
}

export function parseOptions(argv: string[] = process.argv.slice(2)): BenchOptions {
	return { quick: argv.includes('--quick') };
}

export function median(values: number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
	return sorted[rank - 1];
}

export function nowMs(): number {
	return Number(process.hrtime.bigint()) / 1e6;
}

export async function timed(work: () => Promise<unknown>): Promise<number> {
	const started = nowMs();
	await work();
	return nowMs() - started;
}

export async function sleepMs(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects when `work` takes longer than `ms`: every wait in a benchmark is bounded. */
export async function within<T>(ms: number, label: string, work: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${label}: no result within ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([work, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Polls `condition` every few ms until it holds; throws after `ms`. */
export async function waitFor(condition: () => boolean, ms: number, label: string, everyMs = 2): Promise<void> {
	const until = Date.now() + ms;
	while (!condition()) {
		if (Date.now() > until) throw new Error(`${label}: not reached within ${ms} ms`);
		await sleepMs(everyMs);
	}
}

/** Ends the process if a benchmark hangs, whatever it is waiting for. */
export function hardTimeout(ms: number, label: string): NodeJS.Timeout {
	const timer = setTimeout(() => {
		console.error(`${label}: hard timeout after ${Math.round(ms / 1000)} s, stopping`);
		process.exit(2);
	}, ms);
	timer.unref();
	return timer;
}

export function ratioOf(value: number, baseline: number): number {
	return baseline === 0 ? Number.NaN : value / baseline;
}

export function formatNumber(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	const abs = Math.abs(value);
	// A count stays a count: 0 items, not 0.00.
	if (Number.isInteger(value) && abs < 1000) return String(value);
	if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
	if (abs >= 100) return value.toFixed(0);
	if (abs >= 10) return value.toFixed(1);
	return value.toFixed(2);
}

export function describeFigure(figure: Figure): string {
	const parts = [`[${figure.group}] ${figure.name}: ${formatNumber(figure.value)} ${figure.unit}`];
	if (figure.baseline) parts.push(`baseline ${figure.baseline.name} ${formatNumber(figure.baseline.value)} ${figure.unit}`);
	if (figure.ratio !== undefined) parts.push(`ratio ${formatNumber(figure.ratio)}${figure.ratioNote ? ` (${figure.ratioNote})` : ''}`);
	if (figure.target) parts.push(`target ${figure.target}: ${figure.met === undefined ? '-' : figure.met ? 'met' : 'MISSED'}`);
	if (figure.note) parts.push(figure.note);
	return parts.join('; ');
}

/** Prints figures as they are produced, so a long run shows progress. */
export function report(figures: Figure[], figure: Figure): void {
	figures.push(figure);
	console.log(describeFigure(figure));
}

/** Runs a benchmark module's `run` when the file is started directly. */
export function runIfMain(mainModule: NodeModule, run: (options: BenchOptions) => Promise<Figure[]>, timeoutMs: number): void {
	if (require.main !== mainModule) return;
	const options = parseOptions();
	hardTimeout(options.quick ? Math.min(timeoutMs, 180_000) : timeoutMs, mainModule.filename);
	run(options).then(
		() => process.exit(0),
		(error: unknown) => {
			console.error(error);
			process.exit(1);
		},
	);
}
