// The chat list: what a signed-in user sees of their conversations, and what they can do there.
import { expect, test } from '@playwright/test';
import { callMutation, signInThroughForm, signUpThroughForm, uniqueUsername } from './helpers';

test('alice sees her chats with Bob and with the tea shop', async ({ page }, testInfo) => {
  await signInThroughForm(page, 'alice');
  await expect(page.getByRole('banner')).toContainText('Alice');

  const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);

  const bob = rows.filter({ hasText: 'Bob' });
  await expect(bob).toContainText('Bring the book you mentioned, please.');
  await expect(bob.getByText('1 unread')).toBeAttached();

  const teaShop = rows.filter({ hasText: '清风茶舍 Breeze Tea' });
  await expect(teaShop).toContainText('Lovely! I will take two boxes, please.');
  await expect(teaShop.getByText(/unread/)).toHaveCount(0);
  await expect(teaShop.locator('img')).toHaveAttribute('src', '/demo/tea.svg');

  await page.screenshot({ path: testInfo.outputPath('chat-list.png'), fullPage: true });
});

test('pin puts a chat first, hide takes it away until a new message, and the filter finds chats by name', async ({ page }) => {
  await signUpThroughForm(page, { username: uniqueUsername('pinner'), password: 'long-enough-1' });
  await expect(page.getByText('No conversations yet')).toBeVisible();

  await callMutation(page, 'conversations.openWithShop', { shopId: 's1001' });
  const books = (await callMutation(page, 'conversations.openWithShop', { shopId: 's1002' })) as { id: number };
  await page.reload();

  const rows = page.getByRole('list', { name: 'Conversations' }).getByRole('listitem');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Book Nook 书角');
  await expect(rows.first()).toContainText('No messages yet');

  await page.getByRole('button', { name: 'Actions for 清风茶舍 Breeze Tea' }).click();
  await page.getByRole('button', { name: 'Pin', exact: true }).click();
  await expect(rows.first()).toContainText('清风茶舍 Breeze Tea');
  await expect(rows.first()).toContainText('Pinned');
  await expect(rows.nth(1)).not.toContainText('Pinned');

  await page.getByRole('searchbox', { name: 'Search chats' }).fill('book');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Book Nook 书角');
  await page.getByRole('searchbox', { name: 'Search chats' }).fill('nothing like this');
  await expect(page.getByText('No chat matches “nothing like this”.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search chats' }).fill('');

  await page.getByRole('button', { name: 'Actions for Book Nook 书角' }).click();
  await page.getByRole('button', { name: 'Hide' }).click();
  await expect(rows).toHaveCount(1);
  await page.reload();
  await expect(rows).toHaveCount(1);
  await callMutation(page, 'messages.send', { conversationId: books.id, type: 'text', content: 'Do you have this in paperback?' });
  await expect(rows).toHaveCount(2); // the live channel refreshes the list
  await expect(rows.filter({ hasText: 'Book Nook 书角' })).toContainText('Do you have this in paperback?');
});
