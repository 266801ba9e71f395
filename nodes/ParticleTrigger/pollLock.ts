/**
 * One poll at a time per trigger. n8n starts a poll on every tick even when the previous one still runs (a poll
 * waiting out 429s can outlast its interval), and both would report the same change. A poll that finds another one
 * running does nothing: the next tick catches up, since changes are judged against the saved state.
 *
 * In-process, keyed by workflow and node: polling triggers run on one n8n instance (the leader). A poll running
 * longer than its budget may be overtaken; the overtaken one then sees it is no longer current and emits nothing.
 */

interface Holder {
	token: number;
	since: number;
}

const running = new Map<string, Holder>();
let lastToken = 0;

export interface PollLease {
	/** Whether no later poll took over. */
	isCurrent(): boolean;
	release(): void;
}

/** A lease for this trigger's poll, or undefined when another poll of it started less than `staleAfterMs` ago. */
export function startPoll(key: string, now: number, staleAfterMs: number): PollLease | undefined {
	const holder = running.get(key);
	if (holder !== undefined && now - holder.since < staleAfterMs) return undefined;
	const token = ++lastToken;
	running.set(key, { token, since: now });
	const isCurrent = () => running.get(key)?.token === token;
	return {
		isCurrent,
		release: () => {
			if (isCurrent()) running.delete(key);
		},
	};
}
