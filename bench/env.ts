/** Imported first by every benchmark: module resolution as jest does it, and what n8n-core reads when it loads. */
import { mkdirSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';

// `nodes/Particle/Particle.node` has a `.json` twin (the codex). Node tries extensions in registration order, so
// under `-r @swc-node/register` the `.json` would win over the `.ts`; jest tries `.ts` first. Try `.ts` first here too.
const extensions = (Module as unknown as { _extensions: Record<string, unknown> })._extensions;
for (const late of ['.json', '.node']) {
	const handler = extensions[late];
	if (handler !== undefined && extensions['.ts'] !== undefined) {
		delete extensions[late];
		extensions[late] = handler;
	}
}

// n8n-core writes a small config file into the user folder; keep it in the git-ignored test folder, out of $HOME.
const userFolder = join(__dirname, '..', '.n8n-test');
mkdirSync(userFolder, { recursive: true });
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
