// A member finds a shop and writes to it; the shop's seller answers from their inbox.
import { expect, test } from '@playwright/test';
import { demoPerson, messageLog, newPerson } from './helpers';

test.afterEach(async ({ browser }) => {
  for (const context of browser.contexts()) await context.close();
});

test('a member opens a shop from the shop list and the seller answers in their inbox', async ({ browser }, testInfo) => {
  const member = await newPerson(browser, 'Lin');
  const seller = await demoPerson(browser, 'teahouse');

  await member.page.getByRole('link', { name: 'Shops' }).click();
  const shops = member.page.getByRole('list', { name: 'Shops' });
  await expect(shops.getByRole('listitem').filter({ hasText: 'Book Nook 书角' })).toBeVisible();
  await expect(shops.getByRole('listitem').filter({ hasText: '清风茶舍 Breeze Tea' }).locator('img')).toHaveAttribute('src', '/demo/tea.svg');
  await member.page.screenshot({ path: testInfo.outputPath('shops.png') });
  await member.page.getByRole('button', { name: 'Chat: 清风茶舍 Breeze Tea' }).click();
  await expect(member.page).toHaveURL(/\/chats\/\d+$/);
  await expect(member.page.getByRole('heading', { name: '清风茶舍 Breeze Tea' })).toBeVisible();
  await member.page.getByRole('textbox', { name: 'Message' }).fill('Is the spring Longjing in stock?');
  await member.page.keyboard.press('Enter');

  // The seller's inbox: the member by name, the shop beside; the filter keeps one shop's chats.
  const inbox = seller.page.getByRole('list', { name: 'Conversations' });
  const row = inbox.getByRole('listitem').filter({ hasText: 'Lin' });
  await expect(row).toContainText('Is the spring Longjing in stock?');
  await expect(row).toContainText('清风茶舍 Breeze Tea');
  await seller.page.getByRole('group', { name: 'Filter by shop' }).getByRole('button', { name: '清风茶舍 Breeze Tea' }).click();
  await expect(inbox.getByRole('listitem').filter({ hasText: 'Lin' })).toBeVisible();
  await seller.page.screenshot({ path: testInfo.outputPath('seller-inbox.png') });
  await row.getByRole('link').click();
  await expect(messageLog(seller.page).getByText('Is the spring Longjing in stock?')).toBeVisible();
  await seller.page.getByRole('textbox', { name: 'Message' }).fill('Yes, picked last week. 明前龙井有货。');
  await seller.page.keyboard.press('Enter');

  await expect(messageLog(member.page).getByText('Yes, picked last week. 明前龙井有货。')).toBeVisible();
  await expect(member.page.locator('[data-state]').last()).toHaveAttribute('data-state', 'read');

  // Opening the same shop again resumes the one chat.
  const chatUrl = member.page.url();
  await member.page.goto('/shops');
  await member.page.getByRole('button', { name: 'Chat: 清风茶舍 Breeze Tea' }).click();
  await expect(member.page).toHaveURL(chatUrl);
});
