/** Starts the fake Particle Cloud for a test file and builds credentials for each auth mode against it. */
import { startFakeCloud, type FakeCloud, type FakeCloudOptions, type RecordedRequest } from '../../fake-cloud';
import type { CredentialData } from './credentials';

export function useFakeCloud(options: FakeCloudOptions = {}): () => FakeCloud {
	let cloud: FakeCloud | undefined;
	beforeAll(async () => {
		cloud = await startFakeCloud(options);
	});
	afterAll(async () => {
		await cloud?.close();
	});
	beforeEach(() => {
		cloud?.clearRequests();
		cloud?.clearFaults();
		cloud?.setRateLimit(null);
	});
	return () => {
		if (!cloud) throw new Error('the fake cloud is not running');
		return cloud;
	};
}

export const userToken = (cloud: FakeCloud): CredentialData => ({
	authMode: 'accessToken',
	accessToken: cloud.tokens.user,
	baseUrl: cloud.url,
});

export const apiUserToken = (cloud: FakeCloud, token = cloud.tokens.apiUser): CredentialData => ({
	authMode: 'apiUserToken',
	apiUserToken: token,
	baseUrl: cloud.url,
});

export const productClient = (cloud: FakeCloud, expiresIn = 3600): CredentialData => ({
	authMode: 'oauthClient',
	clientId: cloud.productClient.clientId,
	clientSecret: cloud.productClient.clientSecret,
	expiresIn,
	baseUrl: cloud.url,
});

/** Requests the nodes sent (everything but the token exchange). */
export function apiCalls(cloud: FakeCloud): RecordedRequest[] {
	return cloud.requests.filter((request) => request.path !== '/oauth/token');
}

export function tokenExchanges(cloud: FakeCloud): RecordedRequest[] {
	return cloud.requests.filter((request) => request.path === '/oauth/token');
}
