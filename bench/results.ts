/**
 * The fixed text of bench/RESULTS.md: how each benchmark measures, and why a missed target's floor is where it is.
 * P1, P4 and P5 keep theirs beside their code (P1 writes its reasons from the run's own figures).
 */

export const METHOD: Record<string, string> = {
	P2: [
		'A product with N devices, trigger events Device Went Offline / Came Online / Vitals Updated. The baseline poll',
		'(not measured) records the fleet; before each measured poll 1% of the devices (at least one) report new vitals',
		'(`setVitals`). Calls are counted from the fake\'s request log. Floor = ceil(N / 100) list pages + one',
		'`/diagnostics/:id/last` per device with new vitals. Naive poll = the list pages + one vitals call per device, sent',
		'with undici one after the other (as the trigger sends its calls). The trigger\'s own requests are also replayed',
		'with undici to show how much of the wall time is the fake cloud itself. Latency 0 (127.0.0.1).',
	].join('\n'),
	P3: [
		'**Parser + emitter**: 100,000 events in Particle\'s wire format (`event:` + `data:` JSON, with JSON data), cut',
		'into 16 KB chunks, fed as the stream body into the real Particle Event Trigger started through n8n-core\'s',
		'`TriggerContext` (stream reader, SSE parser, Particle envelope, JSON data, name filter, `emit`). Baseline: the',
		'least any client does with the same bytes (split lines, `JSON.parse` the envelope and the data). **Over the',
		'wire**: a burst published on the fake, until the trigger has emitted all. **Latency**: 1,000 events published',
		'3 ms apart, time from `publish` on the fake to the `emit` callback, against a raw undici reader of the same',
		'stream. **Resume**: `dropStreams()`, then an event every 10 ms until the trigger emits again. **Detect**: an',
		'event (the last byte), then `silenceStreams(true)`, until the trigger closes the silent connection.',
	].join('\n'),
	P6: [
		'The Event Trigger\'s device status mode ("Device Status and Vitals"), started through n8n-core\'s `TriggerContext` on',
		'a 1,000-device product (100 with `--quick`): the fake cloud changes a device\'s state (online / offline, or new',
		'vitals that may cross the battery threshold) 1,000 times, 3 ms apart, and each change\'s time from the state change',
		'on the fake to the `emit` callback is taken, p50 and p99. Baseline: a raw undici reader of the same stream (the',
		'least any client pays: the fake writing, the socket, splitting lines). Fake cloud and trigger share the 2 cores.',
	].join('\n'),
};

export const EXPLANATIONS: Record<string, string> = {
	P2: [
		'**P2 wall time.** Calls above the floor would be a bug. Wall time at 10,000 devices is mostly the fake cloud',
		'serving 100 pages of a 10,000-device list (the replay of the same requests with undici shows it); the first',
		'full run missed 1 s by 13 ms because the fake sorted every page with `localeCompare`, now a plain comparison.',
		'Since the trigger asks for a stable order (`sortAttr=deviceId`, so that no device is seen twice or missed while',
		'pages are read), the fake sorts the whole fleet for every page it serves, and a concurrent e2e run shared the',
		'2 cores: the 10,000-device poll is then about 1.1 s, of which the replay shows about 1.0 s is the fake\'s own.',
		'The trigger\'s own cost is the ratio to that replay.',
	].join('\n'),
	P3: [
		'**P3 silence detection.** A stream counts as silent once no byte (keep-alives included) has arrived for the',
		'whole watchdog time, checked every 250 ms, so detection lands just above the setting. The default was 20 s,',
		'which by definition missed "<= 20 s" by the tick (20.02 s in the first full run); it is now 15 s, the value',
		'Particle\'s own JavaScript client uses, still above the ~12 s that Particle\'s keep-alives may be apart.',
	].join('\n'),
};
