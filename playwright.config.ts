// Browser tests of the pages (e2e/ui) against the real server, built beforehand with `next build`,
// on a fresh store with the demo data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// CHAT_E2E_PORT lets two checkouts run their browser tests at once.
const PORT = Number(process.env.CHAT_E2E_PORT || 3917);
const BASE_URL = `http://127.0.0.1:${PORT}`;

// Workers load this file too; they inherit the runner's environment and so reuse its directory.
let storeDir = process.env.CHAT_E2E_STORE_DIR;
if (!storeDir) {
  const created = mkdtempSync(join(tmpdir(), 'chat-e2e-'));
  storeDir = process.env.CHAT_E2E_STORE_DIR = created;
  // On exit the server has already been stopped, so nothing is writing there any more.
  process.once('exit', () => rmSync(created, { recursive: true, force: true }));
}

export default defineConfig({
  testDir: 'e2e/ui',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      // The system's Chromium: Playwright's own browser download cannot reach its servers here.
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'npx tsx server/main.ts',
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 5_000 },
    env: {
      NODE_ENV: 'production',
      PORT: String(PORT),
      HOST: '127.0.0.1',
      CHAT_DEMO: '1',
      CHAT_DB_PATH: join(storeDir, 'chat.db'),
      CHAT_UPLOAD_DIR: join(storeDir, 'uploads'),
    },
  },
});
