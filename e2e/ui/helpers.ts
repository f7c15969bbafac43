// Steps the UI tests share: signing in through the form, fresh usernames, direct tRPC calls.
import { expect, type Locator, type Page } from '@playwright/test';

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

/** A tRPC mutation with the page's session cookie, for setup the pages do not offer yet. */
/** The form's error; Next's route announcer is an alert too, outside the page's main. */
export function formError(page: Page): Locator {
  return page.getByRole('main').getByRole('alert');
}

export async function callMutation(page: Page, path: string, input: unknown): Promise<unknown> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(response.ok(), `${path} answered ${response.status()}`).toBe(true);
  return response.json();
}
