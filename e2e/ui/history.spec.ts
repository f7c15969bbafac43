// Long histories: older pages load as the reader scrolls up, and the view does not jump.
import { expect, test } from '@playwright/test';
import { callMutation, chatBetween, messageLog, newPerson } from './helpers';

test('scrolling up loads older history while the message in view stays in place', async ({ browser }) => {
  const writer = await newPerson(browser, 'Writer');
  const reader = await newPerson(browser, 'Reader');
  const chat = await chatBetween(writer, reader);
  for (let i = 1; i <= 160; i++) await callMutation(writer.page, 'messages.send', { conversationId: chat, type: 'text', content: `note ${i}` });

  // Older pages are held back until the test has measured where the view stood.
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await reader.page.route(/\/api\/trpc\/conversations\.history/, async (route) => {
    if (decodeURIComponent(route.request().url()).includes('beforeSeq')) await released;
    await route.continue();
  });
  await reader.page.goto(`/chats/${chat}`);
  const log = messageLog(reader.page);
  await expect(log.getByText('note 160', { exact: true })).toBeVisible();
  await expect(log.getByText('note 100', { exact: true })).toHaveCount(0); // only the newest page is loaded

  const scroller = log.locator('[data-virtuoso-scroller]');
  const anchor = log.getByText('note 112', { exact: true });
  await scroller.evaluate((element) => element.scrollTo(0, 0)); // the top: the older page is asked for
  await expect(log.getByText('Loading earlier messages…')).toBeVisible();
  const before = await anchor.boundingBox();
  release();
  await expect(log.getByText('note 110', { exact: true })).toBeAttached();
  await reader.page.waitForTimeout(300);
  const after = await anchor.boundingBox();
  expect(before).not.toBeNull();
  expect(after).not.toBeNull();
  expect(Math.abs(after!.y - before!.y), `note 112 moved from ${before!.y} to ${after!.y}`).toBeLessThan(3);

  // All the way up: every page loads, and the start of the conversation is marked.
  const beginning = log.getByText('This is the beginning of your conversation.');
  for (let i = 0; i < 20 && !(await beginning.isVisible()); i++) {
    await scroller.evaluate((element) => element.scrollTo(0, 0));
    await reader.page.waitForTimeout(300);
  }
  await expect(beginning).toBeVisible();
  await scroller.evaluate((element) => element.scrollTo(0, 0));
  await expect(log.getByText('note 1', { exact: true })).toBeInViewport();
  await writer.context.close();
  await reader.context.close();
});
