// Steps the UI tests share: signing in through the form, fresh users in their own browser
// contexts, direct tRPC calls for setup the pages do not offer.
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo-pass-1';

/** The store lives for the whole run, so every sign-up needs a name no other test used. */
export function uniqueUsername(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export async function signInThroughForm(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/chats$/);
}

export async function signUpThroughForm(
  page: Page,
  account: { username: string; password: string; nickname?: string; role?: 'Member' | 'Seller' },
): Promise<void> {
  await page.goto('/register');
  await page.getByLabel('Username').fill(account.username);
  if (account.nickname !== undefined) await page.getByLabel('Nickname').fill(account.nickname);
  await page.getByLabel('Password').fill(account.password);
  // Each choice's label goes on to describe it, and the seller's mentions members: match the start.
  await page.getByRole('radio', { name: new RegExp(`^${account.role ?? 'Member'}`) }).check();
  await page.getByRole('button', { name: 'Create account' }).click();
}

export type Person = { context: BrowserContext; page: Page; id: number; nickname: string };

/** A new member (or seller) signed up in a browser context of their own, on the chat list. */
export async function newPerson(browser: Browser, nickname: string, role: 'Member' | 'Seller' = 'Member'): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpThroughForm(page, { username: uniqueUsername(nickname.toLowerCase()), password: 'long-enough-1', nickname, role });
  await expect(page).toHaveURL(/\/chats$/);
  const me = (await (await page.request.get('/api/trpc/auth.me')).json()) as { result: { data: { json: { id: number } } } };
  return { context, page, id: me.result.data.json.id, nickname };
}

/** A demo account signed in in a browser context of its own. */
export async function demoPerson(browser: Browser, username: string): Promise<Person> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInThroughForm(page, username);
  const me = (await (await page.request.get('/api/trpc/auth.me')).json()) as { result: { data: { json: { id: number; nickname: string } } } };
  return { context, page, id: me.result.data.json.id, nickname: me.result.data.json.nickname };
}

/** The form's error; Next's route announcer is an alert too, outside the page's main. */
export function formError(page: Page): Locator {
  return page.getByRole('main').getByRole('alert');
}

/** A tRPC mutation with the page's session cookie, for setup the pages do not offer. */
export async function callMutation(page: Page, path: string, input: unknown): Promise<any> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.ok(), `${path} answered ${response.status()}`).toBe(true);
  return ((await response.json()) as { result: { data: { json: unknown } } }).result.data.json;
}

/** Opens (creating if needed) the one-to-one chat of `a` with `b` and returns its id. */
export async function chatBetween(a: Person, b: Person): Promise<number> {
  return ((await callMutation(a.page, 'conversations.openWithUser', { userId: b.id })) as { id: number }).id;
}

/** The open conversation's messages (the bubbles' log). */
export function messageLog(page: Page): Locator {
  return page.getByRole('log', { name: /Messages|消息/ });
}
