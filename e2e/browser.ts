/** Debian's Chromium, headless, driven by playwright-core (a browser download of Playwright's own cannot work here). */
import { existsSync } from 'node:fs';
import { chromium, selectors, type Browser, type Page } from 'playwright-core';

import { DEMO_OWNER } from '../demo/launcher';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does) or set CHROMIUM_PATH`);
	}
	// n8n's test ids live in data-test-id.
	selectors.setTestIdAttribute('data-test-id');
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		// The machine's network is closed: without these flags Chromium keeps trying to reach Google's services.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}

/** Signs in to the n8n at `n8nUrl` as the demo's owner (the launcher creates it) and waits for the editor. */
export async function signIn(page: Page, n8nUrl: string): Promise<void> {
	await page.goto(`${n8nUrl}/signin`);
	await page.locator('input[name=emailOrLdapLoginId]').fill(DEMO_OWNER.email);
	await page.locator('input[name=password]').fill(DEMO_OWNER.password);
	await page.getByTestId('form-submit-button').click();
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 30_000 });
}
