/** A bare undici reader of a fake-cloud event stream: the baseline the triggers' latency is measured against. */
import { request } from 'undici';

import type { FakeCloud } from '../fake-cloud';
import { nowMs } from './lib';

/** Calls `onData` with each `data:` line's text and the time its chunk arrived, until `stop()`. */
export async function rawSseReader(cloud: FakeCloud, path: string, onData: (data: string, at: number) => void): Promise<{ stop(): Promise<void> }> {
	const raw = await request(`${cloud.url}${path}`, { headers: { authorization: `Bearer ${cloud.tokens.user}` } });
	const reading = (async () => {
		let pending = '';
		for await (const chunk of raw.body) {
			const at = nowMs();
			pending += (chunk as Buffer).toString('utf8');
			const lines = pending.split('\n');
			pending = lines.pop() ?? '';
			for (const line of lines) if (line.startsWith('data: ')) onData(line.slice(6), at);
		}
	})().catch(() => undefined);
	return {
		stop: async () => {
			raw.body.destroy();
			await reading;
		},
	};
}
