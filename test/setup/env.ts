import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// n8n-core writes a small config file into the user folder when it loads; keep it out of $HOME.
const userFolder = join(__dirname, '..', '..', '.n8n-test');
mkdirSync(userFolder, { recursive: true });
process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
