// Two people chatting in two browsers, as people use a chat: live both ways, with the sender
// seeing delivered and read; typing; images; script-like text; sending while offline.
import { expect, test } from '@playwright/test';
import { chatBetween, messageLog, newPerson, type Person } from './helpers';

async function openChat(person: Person, chatId: number) {
  await person.page.goto(`/chats/${chatId}`);
  await expect(messageLog(person.page)).toBeVisible();
}

test.afterEach(async ({ browser }) => {
  for (const context of browser.contexts()) await context.close();
});

test('two people chat live both ways; the sender sees delivered, then read; typing shows', async ({ browser }, testInfo) => {
  const mei = await newPerson(browser, 'Mei');
  const tom = await newPerson(browser, 'Tom');
  const chat = await chatBetween(mei, tom);
  await openChat(mei, chat);

  // Tom is away from the chat: Mei's message reaches his client (delivered) but is not read.
  await tom.page.goto('/chats');
  await mei.page.getByRole('textbox', { name: 'Message' }).fill('Hi Tom, are you there?');
  await mei.page.keyboard.press('Enter');
  const sent = messageLog(mei.page).getByText('Hi Tom, are you there?');
  await expect(sent).toBeVisible();
  const meiMark = mei.page.locator('[data-state]').last();
  await expect(meiMark).toHaveAttribute('data-state', 'delivered');
  await expect(meiMark).toContainText('Delivered');
  await expect(tom.page.getByRole('listitem').filter({ hasText: 'Mei' })).toContainText('1 unread');

  // Tom opens it: read, and Mei sees it turn to Read without reloading.
  await tom.page.getByRole('link', { name: /Mei/ }).click();
  await expect(messageLog(tom.page).getByText('Hi Tom, are you there?')).toBeVisible();
  await expect(meiMark).toHaveAttribute('data-state', 'read');
  await expect(meiMark).toContainText('Read');
  await expect(tom.page.getByRole('listitem').filter({ hasText: 'Mei' }).getByText(/unread/)).toHaveCount(0);

  // Typing, then the answer, live on Mei's side.
  await tom.page.getByRole('textbox', { name: 'Message' }).fill('Yes');
  await expect(mei.page.getByText('typing…')).toBeVisible();
  await tom.page.getByRole('textbox', { name: 'Message' }).fill('Yes! Shift+Enter makes');
  await tom.page.keyboard.press('Shift+Enter');
  await tom.page.keyboard.type('a second line.');
  await tom.page.keyboard.press('Enter');
  await expect(messageLog(mei.page).getByText(/Yes! Shift\+Enter makes\s+a second line\./)).toBeVisible();
  await expect(mei.page.getByText('typing…')).toHaveCount(0);

  await mei.page.screenshot({ path: testInfo.outputPath('conversation-sender.png') });
  await tom.page.screenshot({ path: testInfo.outputPath('conversation-reader.png') });
});

test('the draft of each chat is kept while moving between chats', async ({ browser }) => {
  const ann = await newPerson(browser, 'Ann');
  const ben = await newPerson(browser, 'Ben');
  const cat = await newPerson(browser, 'Cat');
  const withBen = await chatBetween(ann, ben);
  const withCat = await chatBetween(ann, cat);
  await openChat(ann, withBen);
  await ann.page.getByRole('textbox', { name: 'Message' }).fill('half a thought for Ben');
  await ann.page.getByRole('link', { name: /Cat/ }).click();
  await expect(ann.page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  await ann.page.getByRole('link', { name: /Ben/ }).click();
  await expect(ann.page.getByRole('textbox', { name: 'Message' })).toHaveValue('half a thought for Ben');
  expect(withCat).not.toBe(withBen);
});

test('an image uploaded by one side is shown to the other, and opens in a full view', async ({ browser }, testInfo) => {
  const ivy = await newPerson(browser, 'Ivy');
  const jon = await newPerson(browser, 'Jon');
  const chat = await chatBetween(ivy, jon);
  await openChat(ivy, chat);
  await openChat(jon, chat);

  await ivy.page.locator('input[type="file"]').setInputFiles('public/demo/tea-field.png');
  const received = messageLog(jon.page).getByRole('img', { name: 'Image' });
  await expect(received).toBeVisible();
  await expect(received).toHaveAttribute('src', /^\/file\/down\/[0-9a-f]+\.png$/);
  expect(await received.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await expect(jon.page.getByRole('listitem').filter({ hasText: 'Ivy' })).toContainText('[Image]');

  await messageLog(jon.page).getByRole('button', { name: 'Open the image' }).click();
  const viewer = jon.page.getByRole('dialog', { name: 'Image' });
  await expect(viewer).toBeVisible();
  await jon.page.screenshot({ path: testInfo.outputPath('image-viewer.png') });
  await jon.page.keyboard.press('Escape');
  await expect(viewer).toHaveCount(0);

  // Not an image: refused with a clear message, nothing sent.
  await ivy.page.locator('input[type="file"]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(ivy.page.getByRole('main').getByRole('alert')).toContainText('Only images can be sent here.');
});

test('a message that looks like HTML shows as text and runs nothing; the page has a Content-Security-Policy', async ({ browser }) => {
  const eve = await newPerson(browser, 'Eve');
  const dan = await newPerson(browser, 'Dan');
  const chat = await chatBetween(eve, dan);
  let dialogs = 0;
  dan.page.on('dialog', async (dialog) => {
    dialogs += 1;
    await dialog.dismiss();
  });
  const response = await dan.page.goto(`/chats/${chat}`);
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);

  await openChat(eve, chat);
  const payload = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  await eve.page.getByRole('textbox', { name: 'Message' }).fill(payload);
  await eve.page.keyboard.press('Enter');
  await expect(messageLog(dan.page).getByText(payload)).toBeVisible();
  await expect(dan.page.locator('img[src="x"]')).toHaveCount(0);
  await dan.page.waitForTimeout(500);
  expect(dialogs).toBe(0);

  // Even markup that got into the page could not run script: the policy blocks inline handlers.
  await dan.page.evaluate(() => {
    const holder = document.createElement('div');
    holder.innerHTML = '<img src="/no-such-image.png" onerror="window.__inlineRan = true">';
    document.body.append(holder);
  });
  await dan.page.waitForTimeout(500);
  const ran = await dan.page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false);
  expect(ran).toBe(false);
});

test('sending with the socket down and no network keeps the message pending; it is delivered once on reconnect', async ({ browser }) => {
  const kim = await newPerson(browser, 'Kim');
  const lee = await newPerson(browser, 'Lee');
  const chat = await chatBetween(kim, lee);

  // Kim's socket goes through the test, which can cut it and refuse new ones.
  let allowSocket = true;
  const routed: { close: (options?: { code?: number; reason?: string }) => Promise<void> }[] = [];
  await kim.page.routeWebSocket(/\/ws$/, (ws) => {
    if (!allowSocket) {
      void ws.close({ code: 4000, reason: 'offline' });
      return;
    }
    ws.connectToServer();
    routed.push(ws);
  });
  await openChat(kim, chat);
  await openChat(lee, chat);
  await expect(kim.page.getByText(/Connecting|Offline/)).toHaveCount(0);

  // The socket is cut but the network works: the message goes over tRPC at once.
  allowSocket = false;
  for (const ws of routed.splice(0)) await ws.close({ code: 4000, reason: 'socket lost' });
  await expect(kim.page.getByRole('status').filter({ hasText: /Offline|Connecting/ })).toBeVisible();
  await kim.page.getByRole('textbox', { name: 'Message' }).fill('sent without the socket');
  await kim.page.keyboard.press('Enter');
  await expect(messageLog(lee.page).getByText('sent without the socket')).toHaveCount(1);

  // No network at all: it waits.
  await kim.context.setOffline(true);

  await kim.page.getByRole('textbox', { name: 'Message' }).fill('sent while offline');
  await kim.page.keyboard.press('Enter');
  const mark = kim.page.locator('[data-state]').last();
  await expect(mark).toHaveAttribute('data-state', 'pending');
  await kim.page.waitForTimeout(2_000);
  await expect(mark).toHaveAttribute('data-state', 'pending');
  await expect(messageLog(lee.page).getByText('sent while offline')).toHaveCount(0);

  allowSocket = true;
  await kim.context.setOffline(false);
  await expect(messageLog(lee.page).getByText('sent while offline')).toHaveCount(1, { timeout: 20_000 });
  await expect(mark).toHaveAttribute('data-state', /delivered|read/, { timeout: 20_000 });
  await lee.page.reload();
  await expect(messageLog(lee.page).getByText('sent while offline')).toHaveCount(1);
});

test('while the tab is hidden the title counts unread and nothing is marked read; coming back reads it', async ({ browser }) => {
  const uma = await newPerson(browser, 'Uma');
  const vic = await newPerson(browser, 'Vic');
  const chat = await chatBetween(uma, vic);
  await openChat(uma, chat);
  await openChat(vic, chat);
  const setHidden = (hidden: boolean) =>
    vic.page.evaluate((value) => {
      Object.defineProperty(document, 'hidden', { value, configurable: true });
      Object.defineProperty(document, 'visibilityState', { value: value ? 'hidden' : 'visible', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
  await setHidden(true);

  await uma.page.getByRole('textbox', { name: 'Message' }).fill('are you looking?');
  await uma.page.keyboard.press('Enter');
  await expect(vic.page).toHaveTitle(/^\(1\) /);
  const mark = uma.page.locator('[data-state]').last();
  await expect(mark).toHaveAttribute('data-state', 'delivered');
  await vic.page.waitForTimeout(1_000);
  await expect(mark).toHaveAttribute('data-state', 'delivered'); // delivered, not read: nobody looked

  await setHidden(false);
  await expect(mark).toHaveAttribute('data-state', 'read');
  await expect(vic.page).not.toHaveTitle(/^\(\d+\) /);
});

test('a message the server refuses shows "Not sent" with the reason and a Retry', async ({ browser }) => {
  const ray = await newPerson(browser, 'Ray');
  const sam = await newPerson(browser, 'Sam');
  const chat = await chatBetween(ray, sam);
  await openChat(ray, chat);
  await ray.page.getByRole('textbox', { name: 'Message' }).fill('x'.repeat(16_001));
  await ray.page.keyboard.press('Enter');
  const mark = ray.page.locator('[data-state]').last();
  await expect(mark).toHaveAttribute('data-state', 'failed');
  await expect(mark).toContainText('Not sent');
  await expect(mark).toContainText('at most 16000 characters');
  await mark.getByRole('button', { name: 'Retry' }).click();
  await expect(mark).toHaveAttribute('data-state', 'failed'); // refused again: the same message, not a new one
  await expect(ray.page.locator('[data-state]')).toHaveCount(1);
});
