// Script in the browser: the pages' Content-Security-Policy stops inline script that got into the
// HTML itself, and payloads in names, shop names and messages are shown as text, never run, never
// turned into `javascript:` links.
import { expect, test, type Page } from '@playwright/test';
import { callMutation, chatBetween, messageLog, newPerson, signUpThroughForm, uniqueUsername, type Person } from './helpers';

test.afterEach(async ({ browser }) => {
  for (const context of browser.contexts()) await context.close();
});

/** Counts what would show that script ran: dialogs, and the flags the payloads set. */
async function scriptRan(page: Page): Promise<unknown> {
  return page.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return w.__inlineRan ?? w.__handlerRan ?? w.__xss ?? false;
  });
}

test('the policy blocks inline script and inline handlers that got into a page’s HTML; Next’s own scripts still run', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  // The page as the server sent it, headers and all, with markup spliced into its HTML: what a
  // stored payload would be if some code path ever rendered it unescaped.
  await page.route('**/login', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(
      '</head>',
      '<script>window.__inlineRan = true</script><img src="/no-such.png" onerror="window.__handlerRan = true"></head>',
    );
    await route.fulfill({ response, body: html });
  });
  const response = await page.goto('/login');
  const policy = response!.headers()['content-security-policy'];
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).not.toContain("'unsafe-inline' 'unsafe-eval'");
  expect(policy).toContain("object-src 'none'");
  expect(policy).toContain("frame-ancestors 'none'");

  // Next's nonced scripts hydrated the form: typing and submitting work, with a clear error.
  await page.getByLabel('Username').fill('nobody_here');
  await page.getByLabel('Password').fill('wrong-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toBeVisible();

  expect(await scriptRan(page)).toBe(false);
  expect(violations.length, 'the browser reported the blocked script').toBeGreaterThan(0);
});

test('script and SQL in nicknames, shop names and messages are shown as text and run nothing', async ({ browser }) => {
  const nickname = '<img src=x onerror="window.__xss=1">';
  // newPerson makes the username from the nickname; this one needs a plain username.
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpThroughForm(page, { username: uniqueUsername('mallory'), password: 'long-enough-1', nickname });
  await expect(page).toHaveURL(/\/chats$/);
  const me = (await (await page.request.get('/api/trpc/auth.me')).json()) as { result: { data: { json: { id: number } } } };
  const mallory: Person = { context, page, id: me.result.data.json.id, nickname };
  const victim = await newPerson(browser, 'Victim');
  let dialogs = 0;
  victim.page.on('dialog', async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });

  const chat = await chatBetween(mallory, victim);
  const payloads = [
    '<script>window.__xss=2</script>',
    '"><svg onload="window.__xss=3">',
    "'); DROP TABLE messages; --",
    'javascript:window.__xss=4',
    '[click](javascript:window.__xss=5)',
    '{{constructor.constructor("window.__xss=6")()}}',
  ];
  for (const content of payloads) await callMutation(mallory.page, 'messages.send', { conversationId: chat, type: 'text', content });

  await victim.page.goto('/chats');
  await expect(victim.page.getByRole('link', { name: new RegExp(nickname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) })).toBeVisible();
  await victim.page.goto(`/chats/${chat}`);
  const log = messageLog(victim.page);
  for (const content of payloads) await expect(log.getByText(content, { exact: true })).toBeVisible();

  await expect(victim.page.locator('img[src="x"]')).toHaveCount(0);
  await expect(victim.page.locator('svg[onload]')).toHaveCount(0);
  await expect(victim.page.locator('a[href^="javascript:" i]')).toHaveCount(0);
  expect(await scriptRan(victim.page)).toBe(false);
  expect(dialogs).toBe(0);
});

test('a seller’s shop name with markup is listed as text on the shop list', async ({ browser }) => {
  const seller = await newPerson(browser, 'Shopkeeper', 'Seller');
  const name = `<b onmouseover="window.__xss=7">Bold ${Date.now()}</b>`;
  await callMutation(seller.page, 'shops.create', { name, logo: '/demo/tea.svg' });
  const response = await seller.page.request.post('/api/trpc/shops.create', { data: { json: { name: 'Bad logo', logo: 'javascript:window.__xss=8' } } });
  expect(response.status()).toBe(400);

  await seller.page.goto('/shops');
  await expect(seller.page.getByText(name, { exact: true })).toBeVisible();
  await expect(seller.page.locator('b[onmouseover]')).toHaveCount(0);
  await expect(seller.page.locator('img[src^="javascript:" i]')).toHaveCount(0);
  expect(await scriptRan(seller.page)).toBe(false);
});
