/**
 * P4 CSV export: time and memory of building the vitals CSV (the node's csvBuffer) for 10,000 / 100,000 / 1,000,000
 * rows, beyond the records themselves, compared with the file's own size; and, for comparison only, the same lines
 * streamed to a file in 64 KB chunks, as n8n's filesystem binary-data mode would store a stream.
 * Run: node --expose-gc -r @swc-node/register bench/p4Csv.ts [--quick] [rows...]
 */
import './env';

import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { FakeDevice } from '../fake-cloud/fleet';
import { generatedPayload } from '../fake-cloud/vitals';
import { csvBuffer } from '../nodes/Particle/actions/vitals/getHistory.operation';
import { vitalsColumns, vitalsCsvLines, type VitalsRecord } from '../nodes/shared/csv';
import { median, nowMs, ratioOf, report, runIfMain, type BenchOptions, type Figure } from './lib';

const MB = 1e6;
const TARGET_GROWTH_MB = 50;
/** Above this many rows the records share payload objects (cycled), so the records fit in the heap; the CSV is the same size. */
const DISTINCT_PAYLOADS = 100_000;
const STREAM_CHUNK_BYTES = 64 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap + external after full collections; large Buffers' memory is released on a later turn, hence the waits. */
async function used(): Promise<number> {
	for (let pass = 0; pass < 3; pass++) {
		gc?.();
		await new Promise((resolve) => setImmediate(resolve));
	}
	const memory = process.memoryUsage();
	// `external` already counts ArrayBuffers (Buffers included).
	return memory.heapUsed + memory.external;
}

function makeRecords(rows: number): VitalsRecord[] {
	const device = { id: '0123456789abcdef01234567', cellular: true } as FakeDevice;
	const start = Date.UTC(2026, 10, 1);
	const payloads = Array.from({ length: Math.min(rows, DISTINCT_PAYLOADS) }, (_, index) => generatedPayload(device, start + index * 60_000));
	return Array.from({ length: rows }, (_, index) => ({
		deviceId: device.id,
		deviceName: 'boron-test-01',
		timestamp: new Date(start + index * 60_000).toISOString(),
		payload: payloads[index % payloads.length],
	}));
}

/** The CSV lines as a byte stream of ~64 KB chunks, never the whole file at once. */
function csvStream(records: VitalsRecord[], onChunk: (index: number) => void): Readable {
	const columns = vitalsColumns(records);
	const lines = vitalsCsvLines(records, columns);
	return Readable.from(
		(function* () {
			let pending: string[] = [];
			let size = 0;
			let index = 0;
			for (const line of lines) {
				pending.push(line);
				size += line.length;
				if (size >= STREAM_CHUNK_BYTES) {
					onChunk(index++);
					yield Buffer.from(pending.join(''), 'utf8');
					pending = [];
					size = 0;
				}
			}
			if (pending.length > 0) yield Buffer.from(pending.join(''), 'utf8');
		})(),
	);
}

/**
 * Highest live memory (heap + external after a collection) while a stream is written, minus the start: sampled every
 * 256 chunks (16 MB), so garbage that V8 would collect anyway is not counted as held.
 */
async function livePeakWhileStreaming(records: VitalsRecord[], path: string): Promise<number> {
	const before = await used();
	let peak = before;
	const sample = () => {
		gc?.();
		const memory = process.memoryUsage();
		peak = Math.max(peak, memory.heapUsed + memory.external);
	};
	await pipeline(
		csvStream(records, (index) => {
			if (index % 256 === 255) sample();
		}),
		createWriteStream(path),
	);
	sample();
	return peak - before;
}

export async function run(options: BenchOptions, rowCounts?: number[]): Promise<Figure[]> {
	if (!gc) throw new Error('P4 needs node --expose-gc');
	const sizes = rowCounts ?? (options.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000]);
	const runs = options.quick ? 1 : 3;
	const figures: Figure[] = [];
	const folder = mkdtempSync(join(tmpdir(), 'particle-bench-csv-'));
	try {
		for (const rows of sizes) {
			let records: VitalsRecord[] | undefined = makeRecords(rows);
			const times: number[] = [];
			const growths: number[] = [];
			let fileBytes = 0;
			for (let round = 0; round < runs; round++) {
				const before = await used();
				const started = nowMs();
				let buffer: Buffer | undefined = csvBuffer(records);
				times.push(nowMs() - started);
				growths.push((await used()) - before);
				fileBytes = buffer.length;
				buffer = undefined;
			}
			const growth = median(growths);
			const limited = rows >= 1_000_000;
			report(figures, {
				group: 'P4',
				name: `${rows.toLocaleString('en-US')} rows, the node's CSV (one buffer): memory growth`,
				value: growth / MB,
				unit: 'MB',
				runs,
				baseline: { name: 'the file itself', value: fileBytes / MB },
				ratio: ratioOf(growth, fileBytes),
				...(limited ? { target: `<= ${TARGET_GROWTH_MB} MB`, met: growth / MB <= TARGET_GROWTH_MB } : {}),
				note: `built in ${median(times).toFixed(0)} ms (${Math.round(rows / (median(times) / 1000)).toLocaleString('en-US')} rows/s)`,
			});

			const streamTimes: number[] = [];
			const streamPeaks: number[] = [];
			for (let round = 0; round < runs; round++) {
				const path = join(folder, `rows-${rows}-${round}.csv`);
				const started = nowMs();
				const current = records;
				streamPeaks.push(await livePeakWhileStreaming(current, path));
				streamTimes.push(nowMs() - started);
				if (statSync(path).size !== fileBytes) throw new Error('streamed file differs in size from the buffer');
				rmSync(path);
			}
			report(figures, {
				group: 'P4',
				name: `${rows.toLocaleString('en-US')} rows, for comparison: the same lines streamed to disk in 64 KB chunks: live peak memory growth`,
				value: median(streamPeaks) / MB,
				unit: 'MB',
				runs,
				baseline: { name: 'the file itself', value: fileBytes / MB },
				ratio: ratioOf(median(streamPeaks), fileBytes),
				note: `written in ${median(streamTimes).toFixed(0)} ms; what n8n's filesystem binary-data mode could store from a stream (not what the node does; see RESULTS.md)`,
			});
			records = undefined;
		}
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
	return figures;
}

runIfMain(
	module,
	async (options) => {
		const rows = process.argv.slice(2).map(Number).filter((value) => Number.isInteger(value) && value > 0);
		return await run(options, rows.length > 0 ? rows : undefined);
	},
	900_000,
);
