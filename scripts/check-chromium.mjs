// Fails early, with the fix, when the browser the UI tests drive is missing
// (Playwright's own download cannot reach its servers here).
import { existsSync } from 'node:fs';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

if (!existsSync(chromiumPath)) {
  console.error(
    `Chromium not found at ${chromiumPath}; the browser tests need it.\n` +
      'Install it with: sudo apt-get install -y chromium, or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
  process.exit(1);
}
console.log(`Chromium: ${chromiumPath}`);
