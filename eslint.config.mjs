// n8n's own configuration for community nodes (the one n8n-nodes-starter uses): typescript-eslint, import-x,
// eslint-plugin-n8n-nodes-base for nodes, credentials and package.json, and @n8n/eslint-plugin-community-nodes.
import { config } from '@n8n/node-cli/eslint';

export default [
	// Tests, the fake cloud, benchmarks and the demo are not published and follow their own rules.
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'fake-cloud/**', 'bench/**', 'demo/**', 'e2e/**', '*.js', '*.mjs'] },
	...config,
];
