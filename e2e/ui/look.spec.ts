// How the app looks and reads: a phone's width (list and conversation as two screens), Chinese,
// and an accessibility scan of the main pages. Screenshots are kept as test artifacts.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { demoPerson, messageLog, signInThroughForm } from './helpers';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

test('at 375 px the list and the conversation are two screens, with no sideways scrolling', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 720 });
  await signInThroughForm(page, 'bob');
  const list = page.getByRole('list', { name: 'Conversations' });
  await expect(list).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: testInfo.outputPath('chat-list-375.png') });

  await list.getByRole('link', { name: /Alice/ }).click();
  await expect(messageLog(page).getByText('Bring the book you mentioned, please.')).toBeVisible();
  await expect(list).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: testInfo.outputPath('conversation-375.png') });
  await page.getByRole('link', { name: 'Back to chats' }).click();
  await expect(list).toBeVisible();
});

test('in Chinese: the pages follow the browser, previews and dates too, and the language can be switched', async ({ browser }, testInfo) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByLabel('用户名').fill('alice');
  await page.getByLabel('密码').fill('demo-pass-1');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/chats$/);
  const rows = page.getByRole('list', { name: '会话列表' }).getByRole('listitem');
  await expect(rows.filter({ hasText: 'Bob' })).toContainText('1 条未读');
  await page.screenshot({ path: testInfo.outputPath('chat-list-zh.png') });

  await rows.filter({ hasText: '清风茶舍' }).getByRole('link').click();
  const log = page.getByRole('log', { name: '消息' });
  await expect(log.getByText('有的，新茶刚到，这是今早茶园的照片。')).toBeVisible();
  await expect(log.getByRole('separator').first()).toHaveText(/今天|昨天|年/);
  await expect(rows.filter({ hasText: 'Bob' })).toContainText('1 条未读');
  await page.screenshot({ path: testInfo.outputPath('conversation-zh.png') });

  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await expect(page.getByRole('link', { name: 'Shops' })).toBeVisible();
  await context.close();
});

test('the main pages have no serious or critical accessibility violations', async ({ browser }) => {
  const person = await demoPerson(browser, 'alice');
  const { page } = person;
  const found: string[] = [];
  await page.goto('/chats');
  await expect(page.getByRole('list', { name: 'Conversations' })).toBeVisible();
  found.push(...(await seriousViolations(page)));
  await page.getByRole('link', { name: /Bob/ }).click();
  await expect(messageLog(page).getByText('Bring the book you mentioned, please.')).toBeVisible();
  found.push(...(await seriousViolations(page)));
  await page.goto('/shops');
  await expect(page.getByRole('list', { name: 'Shops' })).toBeVisible();
  found.push(...(await seriousViolations(page)));
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto('/login');
  found.push(...(await seriousViolations(visitor)));
  await visitor.goto('/register');
  found.push(...(await seriousViolations(visitor)));
  expect(found).toEqual([]);
  await person.context.close();
  await visitorContext.close();
});
