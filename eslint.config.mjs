import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'fake-cloud/**', 'bench/**', 'demo/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended.map((config) => ({ ...config, files: ['nodes/**/*.ts', 'credentials/**/*.ts'] })),
	{
		...n8nCommunityNodesPlugin.configs.recommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
	},
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		rules: {
			// typescript-eslint's rules do not apply to JSON.
			'@typescript-eslint/no-unused-expressions': 'off',
		},
	},
];
