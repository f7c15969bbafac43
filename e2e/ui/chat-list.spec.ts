// The chat list: what a signed-in user sees of their conversations.
import { expect, test } from '@playwright/test';
import { callMutation, signInThroughForm, signUpThroughForm, uniqueUsername } from './helpers';

test('alice sees her chats with Bob and with the tea shop', async ({ page }, testInfo) => {
  await signInThroughForm(page, 'alice');
  await expect(page.getByRole('banner')).toContainText('Alice');

  const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);

  const bob = rows.filter({ hasText: 'Bob' });
  await expect(bob).toContainText('Bring the book you mentioned, please.');
  await expect(bob.getByText('1 unread')).toBeVisible();

  const teaShop = rows.filter({ hasText: '清风茶舍 Breeze Tea' });
  await expect(teaShop).toContainText('Lovely! I will take two boxes, please.');
  await expect(teaShop.getByText(/unread/)).toHaveCount(0);
  await expect(teaShop.locator('img')).toHaveAttribute('src', '/demo/tea.svg');

  await page.screenshot({ path: testInfo.outputPath('chat-list.png'), fullPage: true });
});

test('a pinned chat comes first and says so', async ({ page }) => {
  await signUpThroughForm(page, { username: uniqueUsername('pinner'), password: 'long-enough-1' });
  await expect(page.getByText('No conversations yet')).toBeVisible();

  // The web app has no shop list yet: open the two chats the way it will.
  const tea = (await callMutation(page, 'conversations.openWithShop', { shopId: 's1001' })) as {
    result: { data: { json: { id: number } } };
  };
  await callMutation(page, 'conversations.openWithShop', { shopId: 's1002' });
  await page.reload();

  const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Book Nook 书角');
  await expect(rows.first()).toContainText('No messages yet');

  await callMutation(page, 'conversations.setPinned', { conversationId: tea.result.data.json.id, pinned: true });
  await page.reload();
  await expect(rows.first()).toContainText('清风茶舍 Breeze Tea');
  await expect(rows.first()).toContainText('Pinned');
  await expect(rows.nth(1)).not.toContainText('Pinned');
});

test('the chat list fits a 375px wide phone without sideways scrolling', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 720 });
  await signInThroughForm(page, 'alice');
  await expect(page.getByRole('listitem').filter({ hasText: 'Bob' })).toBeVisible();

  const widest = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(widest).toBeLessThanOrEqual(375);
  await page.screenshot({ path: testInfo.outputPath('chat-list-375.png'), fullPage: true });
});
