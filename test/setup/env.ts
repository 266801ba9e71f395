import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// n8n-core writes a small config file into the user folder when it loads; keep it out of $HOME.
const userFolder = join(__dirname, '..', '..', '.n8n-test');
const configFile = join(userFolder, '.n8n', 'config');
// On a fresh clone two jest workers would race: one reads the file while n8n-core in the other is still writing it
// ("not valid JSON"). Written here first, through a rename, no worker ever sees half a file.
if (!existsSync(configFile)) {
	mkdirSync(join(userFolder, '.n8n'), { recursive: true });
	const partial = `${configFile}.${process.pid}.tmp`;
	writeFileSync(partial, JSON.stringify({ encryptionKey: randomBytes(24).toString('base64') }), { mode: 0o600 });
	renameSync(partial, configFile);
}
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
