/** @type {import('jest').Config} */
// `npm run test:e2e`: a real n8n (Node 24) with this package, the fake cloud and a real browser. One worker: the tests
// share one n8n, started once through the same launcher as `npm start`.
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2021' } }] },
	maxWorkers: 1,
	// Each test sets its own bounded waits; this only catches a hang.
	testTimeout: 180000,
};
