/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2021' } }] },
	setupFiles: ['<rootDir>/test/setup/env.ts'],
	testTimeout: 30000,
	// n8n-core loads once per file; two workers match this two-core machine.
	maxWorkers: 2,
};
