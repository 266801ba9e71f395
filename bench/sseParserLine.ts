/**
 * The SSE parser on a stream that never ends a line (16 MiB in 1 KiB chunks, fed until the parser gives up) and on
 * 100,000 small Particle events in 1 KiB chunks. With `--before <file>` the same runs go through another copy of the
 * parser too (e.g. `git show HEAD:nodes/shared/sseParser.ts > /tmp/sse-old/sseParser.ts`), for before/after figures.
 * A parser that rescans its buffer takes minutes on the long line, so that feed stops after `--line-budget-s` seconds
 * (default 60) and says how far it got.
 * Run: node -r @swc-node/register bench/sseParserLine.ts [--before /tmp/sse-old/sseParser.ts] [--line-budget-s 60]
 */
import { resolve } from 'node:path';

import * as current from '../nodes/shared/sseParser';
import { formatNumber, median, nowMs } from './lib';

const CHUNK = 1024;
const LINE_CHARS = 16 * 1024 * 1024;
const EVENTS = 100_000;
const EVENT_RUNS = 5;

interface ParserLike {
	push(chunk: string): unknown[];
	reset(): void;
}
interface ParserModule {
	SseParser: new () => ParserLike;
}

/** What a parser holds now: `stats.buffered` on the current one, the pending text on the old one. */
function heldChars(parser: ParserLike): number {
	const view = parser as { stats?: { buffered: number }; pending?: string };
	return view.stats?.buffered ?? view.pending?.length ?? Number.NaN;
}

function longLineChunks(): string[] {
	const chunks = ['data: '];
	for (let fed = 0; fed < LINE_CHARS; fed += CHUNK) chunks.push('x'.repeat(CHUNK));
	return chunks;
}

function eventChunks(): { chunks: string[]; chars: number } {
	const parts: string[] = [':ok\n\n'];
	for (let index = 0; index < EVENTS; index++) {
		const data = { data: `{"t":${20 + (index % 10) / 10},"seq":${index}}`, ttl: 60, published_at: new Date(Date.UTC(2026, 0, 1) + index).toISOString(), coreid: 'e00fce68ece1d3d21a73dcc9' };
		parts.push(`event: bench/reading\ndata: ${JSON.stringify(data)}\n\n`);
	}
	const text = parts.join('');
	const chunks: string[] = [];
	for (let offset = 0; offset < text.length; offset += CHUNK) chunks.push(text.slice(offset, offset + CHUNK));
	return { chunks, chars: text.length };
}

/** One feed of the long line; a parser that rescans its buffer is stopped after `budgetMs`. */
function longLineOnce(module: ParserModule, chunks: string[], budgetMs: number): { ms: number; held: number; outcome: string } {
	const parser = new module.SseParser();
	let fed = 0;
	let held = 0;
	let outcome = 'no overflow: the whole line was buffered';
	const started = nowMs();
	try {
		for (const chunk of chunks) {
			parser.push(chunk);
			fed += chunk.length;
			held = Math.max(held, heldChars(parser));
			if (nowMs() - started > budgetMs) {
				outcome = `STOPPED after the ${formatNumber(budgetMs / 1000)} s budget with ${formatNumber(fed)} of ${formatNumber(LINE_CHARS + 6)} chars fed`;
				break;
			}
		}
	} catch (error) {
		outcome = `${(error as Error).name} after ${formatNumber(fed)} chars: ${(error as Error).message}`;
	}
	return { ms: nowMs() - started, held, outcome };
}

/** Up to 5 runs, fewer when they are slow (the old parser's one run takes minutes); the median. */
function longLine(module: ParserModule, chunks: string[], budgetMs: number): string {
	const runs: Array<ReturnType<typeof longLineOnce>> = [];
	for (let total = 0; runs.length < 5 && total < 2000; ) {
		runs.push(longLineOnce(module, chunks, budgetMs));
		total += runs[runs.length - 1].ms;
	}
	const last = runs[runs.length - 1];
	return `16 MiB line, 1 KiB chunks: ${formatNumber(median(runs.map((run) => run.ms)))} ms median of ${runs.length}; most held ${formatNumber(last.held)} chars; ${last.outcome}`;
}

function smallEvents(module: ParserModule, input: { chunks: string[]; chars: number }): string {
	const times: number[] = [];
	let count = 0;
	for (let run = 0; run < EVENT_RUNS; run++) {
		const parser = new module.SseParser();
		count = 0;
		const started = nowMs();
		for (const chunk of input.chunks) count += parser.push(chunk).length;
		times.push(nowMs() - started);
	}
	const ms = median(times);
	return `${formatNumber(count)} small events (${formatNumber(input.chars)} chars), 1 KiB chunks: ${formatNumber(ms)} ms median of ${EVENT_RUNS} (${formatNumber((count / ms) * 1000)} events/s)`;
}

function option(name: string): string | undefined {
	const at = process.argv.indexOf(name);
	return at === -1 ? undefined : process.argv[at + 1];
}

async function main(): Promise<void> {
	const before = option('--before');
	const budgetMs = Number(option('--line-budget-s') ?? 60) * 1000;
	const parsers: Array<[string, ParserModule]> = [];
	if (before) parsers.push([`before (${before})`, (await import(resolve(before))) as ParserModule]);
	parsers.push(['after (nodes/shared/sseParser.ts)', current]);

	const lineInput = longLineChunks();
	const eventInput = eventChunks();
	for (const [label, module] of parsers) {
		console.log(label);
		console.log(`  ${longLine(module, lineInput, budgetMs)}`);
		console.log(`  ${smallEvents(module, eventInput)}`);
	}
}

void main();
