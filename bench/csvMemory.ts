/**
 * How much memory building a vitals CSV costs beyond the records themselves, and how long it takes.
 * Run: node --expose-gc -r @swc-node/register bench/csvMemory.ts [rows...]   (prints figures; not a test)
 */
import { generatedPayload } from '../fake-cloud/vitals';
import type { FakeDevice } from '../fake-cloud/fleet';
import type { VitalsRecord } from '../nodes/shared/csv';
import { csvBuffer } from '../nodes/Particle/actions/vitals/getHistory.operation';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const device = { id: '0123456789abcdef01234567', cellular: true } as FakeDevice;
const used = () => {
	gc();
	const memory = process.memoryUsage();
	// `external` already counts ArrayBuffers (Buffers included).
	return memory.heapUsed + memory.external;
};

for (const rows of process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number) : [10_000, 100_000]) {
	const start = Date.UTC(2026, 10, 1);
	const records: VitalsRecord[] = Array.from({ length: rows }, (_, index) => ({
		deviceId: device.id,
		deviceName: 'boron-test-01',
		timestamp: new Date(start + index * 60_000).toISOString(),
		payload: generatedPayload(device, start + index * 60_000),
	}));
	const before = used();
	const began = process.hrtime.bigint();
	const buffer = csvBuffer(records);
	const ms = Number(process.hrtime.bigint() - began) / 1e6;
	const peakGrowth = used() - before;
	console.log(
		`${rows} rows: file ${(buffer.length / 1e6).toFixed(1)} MB, memory growth ${(peakGrowth / 1e6).toFixed(1)} MB (file included), ${ms.toFixed(0)} ms`,
	);
}
