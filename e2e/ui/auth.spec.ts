// Signing in, signing up and signing out through the pages.
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, formError, signInThroughForm, signUpThroughForm, uniqueUsername } from './helpers';

test('the front page sends a visitor to sign in and a signed-in user to the chat list', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);

  await signInThroughForm(page, 'bob');
  await page.goto('/');
  await expect(page).toHaveURL(/\/chats$/);
});

test('a wrong password shows an error and stays on the sign-in page', async ({ page }, testInfo) => {
  await page.goto('/login');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();

  await expect(formError(page)).toHaveText('Wrong username or password.');
  await expect(page).toHaveURL(/\/login$/);
  await page.screenshot({ path: testInfo.outputPath('login.png'), fullPage: true });
});

test('sign-in and sign-up pages link to each other', async ({ page }) => {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/register$/);
  await expect(page.getByRole('heading', { name: 'Create account' })).toBeVisible();
  await page.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test('signing out returns to sign-in, and the chat list then sends there too', async ({ page }) => {
  await signInThroughForm(page, 'alice');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);

  await page.goto('/chats');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('a new user signs up, lands on an empty chat list and sees their nickname', async ({ page }, testInfo) => {
  const username = uniqueUsername('newbie');
  await signUpThroughForm(page, { username, password: 'long-enough-1', nickname: 'New Person' });

  await expect(page).toHaveURL(/\/chats$/);
  await expect(page.getByRole('banner')).toContainText('New Person');
  await expect(page.getByText('No conversations yet')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('empty-chats.png'), fullPage: true });
});

test('a seller can sign up too', async ({ page }) => {
  await signUpThroughForm(page, { username: uniqueUsername('seller'), password: 'long-enough-1', role: 'Seller' });
  await expect(page).toHaveURL(/\/chats$/);
  await expect(page.getByText('No conversations yet')).toBeVisible();
});

test('sign-up explains a taken username and a too-short password', async ({ page }, testInfo) => {
  await signUpThroughForm(page, { username: 'alice', password: DEMO_PASSWORD });
  await expect(formError(page)).toHaveText('Username is taken.');
  await expect(page).toHaveURL(/\/register$/);

  await page.getByLabel('Username').fill(uniqueUsername('shorty'));
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(formError(page)).toHaveText('Password must be at least 8 characters.');
  await expect(page).toHaveURL(/\/register$/);
  await page.screenshot({ path: testInfo.outputPath('register.png'), fullPage: true });
});

test('a nickname that looks like HTML is shown as text, never run', async ({ page }) => {
  const nickname = '<img src=x onerror="window.__injected=1">Eve';
  await signUpThroughForm(page, { username: uniqueUsername('eve'), password: 'long-enough-1', nickname });

  await expect(page.getByRole('banner')).toContainText(nickname);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
});
