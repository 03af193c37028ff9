import { randomUUID } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  atPath,
  completeSignIn,
  eventually,
  isFocused,
  newPerson,
  pathOf,
  signOutViaUi,
  submitSignIn,
  submitSignUp,
} from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

/** The inline error of a field: aria-invalid, and described by an element holding `message`. */
async function expectFieldError(field: Locator, message: string): Promise<void> {
  await eventually(() => field.getAttribute('aria-invalid')).toBe('true');
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  const descriptions = await field.evaluate(
    (element, ids) =>
      ids
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => element.ownerDocument.getElementById(id)?.textContent ?? null),
    describedBy,
  );
  expect(descriptions).toContain(message);
}

describe('signing up', () => {
  it('creates the account and opens the empty dashboard with the person’s name', async () => {
    const { page, person } = await suite.signedIn('signup');
    expect(pathOf(page)).toBe('/dashboard');
    await page.getByText(person.name, { exact: true }).waitFor();
    await page.getByText('No tasks yet', { exact: true }).waitFor();
  });

  it('tells a person the email is already registered, next to the Email field, and keeps what they typed', async () => {
    const { person } = await suite.signedIn('taken');

    const page = await suite.newPage();
    await page.goto('/auth/signup');
    const someoneElse = { name: 'Someone Else', email: person.email.toUpperCase(), password: 'another long password' };
    await submitSignUp(page, someoneElse);

    const email = page.getByLabel('Email');
    await expectFieldError(email, 'Email already registered');
    await eventually(() => isFocused(email)).toBe(true);
    expect(await email.inputValue()).toBe(person.email.toUpperCase());
    expect(await page.getByLabel('Name').inputValue()).toBe('Someone Else');
    expect(pathOf(page)).toBe('/auth/signup');
  });

  it('marks every invalid field inline, describes it with its message and focuses the first one', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signup');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();

    const name = page.getByLabel('Name');
    await expectFieldError(name, 'Name is required');
    await expectFieldError(page.getByLabel('Email'), 'Please enter a valid email');
    await expectFieldError(page.getByLabel('Password'), 'Password must be at least 8 characters');
    await eventually(() => isFocused(name)).toBe(true);

    // Fixing the first field moves the focus to the next one still wrong.
    await name.fill('Ada');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await eventually(() => isFocused(page.getByLabel('Email'))).toBe(true);
    await eventually(() => name.getAttribute('aria-invalid')).toBe(null);
    await expectFieldError(page.getByLabel('Email'), 'Please enter a valid email');
    expect(pathOf(page)).toBe('/auth/signup');
  });

  it('shows the server’s own sentence next to a field when the server refuses what the page let through', async () => {
    const page = await suite.newPage();
    await page.route('**/api/auth/signup', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({
          error: 'Name must be 100 characters or less',
          code: 'validation_failed',
          fields: { name: 'Name must be 100 characters or less' },
        }),
      }),
    );
    await page.goto('/auth/signup');
    await submitSignUp(page, { name: 'Ada', email: newPerson().email, password: 'long enough password' });

    await expectFieldError(page.getByLabel('Name'), 'Name must be 100 characters or less');
    await eventually(() => isFocused(page.getByLabel('Name'))).toBe(true);
  });

  it('shows "This password is too common, please choose another" next to the Password field for a common password', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signup');
    const person = { ...newPerson('common'), password: 'password1' };
    await submitSignUp(page, person);

    const password = page.getByLabel('Password');
    await expectFieldError(password, 'This password is too common, please choose another');
    await eventually(() => isFocused(password)).toBe(true);
    // Next to the field, not over the form; nothing typed is lost, and no account was opened.
    expect(await page.getByRole('alert').filter({ hasText: 'too common' }).count()).toBe(0);
    expect(await page.getByLabel('Email').inputValue()).toBe(person.email);
    expect(pathOf(page)).toBe('/auth/signup');
    const signIn = await fetch(`${suite.server.baseUrl}/api/auth/signin`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: person.email, password: 'password1' }),
    });
    expect(signIn.status).toBe(400);
  });

  it('shows progress on the button and sends one request however often it is pressed', async () => {
    const page = await suite.newPage();
    let requests = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/auth/signup', async (route) => {
      requests++;
      await held;
      await route.continue();
    });
    await page.goto('/auth/signup');
    const person = newPerson('double');
    await page.getByLabel('Name').fill(person.name);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByLabel('Password').press('Enter');

    const busy = page.getByRole('button', { name: 'Creating account…' });
    await busy.waitFor();
    expect(await busy.isDisabled()).toBe(true);
    await page.getByLabel('Password').press('Enter');
    await busy.click({ force: true });
    release();
    await page.waitForURL('**/dashboard');
    expect(requests).toBe(1);
  });

  it('lets a person show and hide the password they typed', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signup');
    const password = page.getByLabel('Password');
    await password.fill('secret phrase');
    expect(await password.getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Show password' }).click();
    await eventually(() => password.getAttribute('type')).toBe('text');
    await page.getByRole('button', { name: 'Hide password' }).click();
    await eventually(() => password.getAttribute('type')).toBe('password');
    expect(await password.inputValue()).toBe('secret phrase');
  });
});

describe('signing in and out', () => {
  it('signs out to the sign-in page, then signs back in to the dashboard', async () => {
    const { page, person } = await suite.signedIn('inout');

    await signOutViaUi(page);
    await completeSignIn(page, person);
    await page.getByText(person.name, { exact: true }).waitFor();
  });

  it('shows the same generic message for a wrong password and an unknown email, and keeps the email typed', async () => {
    const { person } = await suite.signedIn('wrongpw');

    const page = await suite.newPage();
    await page.goto('/auth/signin');
    await submitSignIn(page, person.email, 'not the password');
    const alert = page.getByRole('alert');
    await eventually(() => alert.textContent()).toBe('Invalid email or password');
    expect(pathOf(page)).toBe('/auth/signin');
    expect(await page.getByLabel('Email').inputValue()).toBe(person.email);

    await page.getByLabel('Email').fill(newPerson('nobody').email);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/auth/signin'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect((await answered).status()).toBe(400);
    await eventually(() => alert.textContent()).toBe('Invalid email or password');
    expect(pathOf(page)).toBe('/auth/signin');
  });

  it('marks empty sign-in fields inline and focuses the email field', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectFieldError(page.getByLabel('Email'), 'Email is required');
    await expectFieldError(page.getByLabel('Password'), 'Password is required');
    await eventually(() => isFocused(page.getByLabel('Email'))).toBe(true);
  });

  it('has exactly one field labelled Password on each auth page, so "Password" names one input', async () => {
    const page = await suite.newPage();
    for (const path of ['/auth/signin', '/auth/signup']) {
      await page.goto(path);
      await page.getByRole('button', { name: /^Sign (in|up)$/ }).waitFor();
      expect(await page.getByLabel('Password').count()).toBe(1);
      expect(await page.getByLabel('Email').count()).toBe(1);
      expect(await page.getByLabel('Password').evaluate((element) => element.tagName)).toBe('INPUT');
    }
  });
});

// The shared schemas normalise addresses and check names in the browser as on the server: the URL
// parser's IDNA step must give node:url's answer there, and Unicode property escapes must work.
describe('addresses and names the shared schemas check in the browser', () => {
  it('finds the same ASCII domain with the browser’s URL parser as node:url does, as the schemas rely on', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signup');
    const domains = [
      'bücher.de',
      'BÜCHER.de',
      'bu\u0308cher.de',
      'faß.de',
      '\uFB01nance.example',
      '例え.テスト',
      'ｅｘａｍｐｌｅ.com',
      'пример.рф',
    ];
    const inBrowser = await page.evaluate(
      (list) => list.map((domain) => new URL(`http://${domain}`).hostname),
      domains,
    );
    expect(inBrowser).toEqual(domains.map((domain) => domainToASCII(domain)));
  });

  it('signs up with a Unicode domain and signs back in with its punycode spelling', async () => {
    const tag = randomUUID().slice(0, 8);
    const person = { name: 'Zoë Straße', email: `Zoë-${tag}@Bücher.example`, password: 'correct horse battery staple' };
    const page = await suite.newPage();
    await page.goto('/auth/signup');
    await page.getByLabel('Name').fill(person.name);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    const answered = page.waitForResponse((response) => response.url().endsWith('/api/auth/signup'));
    await page.getByRole('button', { name: 'Sign up' }).click();
    const response = await answered;
    expect(response.status()).toBe(201);
    expect((await response.json()).user.email).toBe(`zoë-${tag}@xn--bcher-kva.example`);
    await page.waitForURL('**/dashboard');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(atPath('/auth/signin'));
    await submitSignIn(page, `zoë-${tag}@xn--bcher-kva.example`, person.password);
    await page.waitForURL('**/dashboard');
    await page.getByText(person.name, { exact: true }).waitFor();
  });

  it('marks a name of zero-width spaces as required before sending anything', async () => {
    const page = await suite.newPage();
    await page.goto('/auth/signup');
    let sent = false;
    page.on('request', (request) => {
      if (request.url().endsWith('/api/auth/signup')) sent = true;
    });
    await page.getByLabel('Name').fill('\u200B\u200B');
    await page.getByLabel('Email').fill(`ann\u200B-${randomUUID().slice(0, 8)}@example.com`);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign up' }).click();

    await expectFieldError(page.getByLabel('Name'), 'Name is required');
    await expectFieldError(page.getByLabel('Email'), 'Please enter a valid email');
    expect(sent).toBe(false);
  });
});
