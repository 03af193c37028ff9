import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  addTaskViaUi,
  atPath,
  completeSignIn,
  eventually,
  heading,
  isFocused,
  pathOf,
  submitSignIn,
  taskCheckbox,
  SESSION_ENDED,
} from './support/browser';
import {
  announcement,
  descriptionOf,
  deviceList,
  openSettings,
  settingsSection,
  signInElsewhere,
  statusMessage,
} from './support/settings';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

/** The next thing a person does on a page whose session has ended (adding a task) lands on sign-in. */
async function expectSentToSignIn(page: Page): Promise<void> {
  await page.getByRole('region', { name: 'Add a task' }).getByLabel('Title').fill('After the end');
  await page.getByRole('button', { name: 'Add task' }).click();
  await page.waitForURL(atPath('/auth/signin'));
  expect(pathOf(page)).toBe('/auth/signin?next=%2Fdashboard');
  await statusMessage(page, SESSION_ENDED).waitFor();
}

describe('the settings page', () => {
  it('is reached from "Account" in the top bar, has its title and its sections in order', async () => {
    const { page, person } = await suite.signedIn('settings');
    const bar = page.getByRole('banner');
    expect(await bar.getByText(person.name, { exact: true }).isVisible()).toBe(true);

    await openSettings(page);

    expect(await page.title()).toBe('Account settings – Todo');
    expect(await page.locator('main section > h2').allTextContents()).toEqual([
      'Profile',
      'Password',
      'Devices',
      'Security activity',
      'Delete account',
    ]);
    expect(await bar.getByText(person.name, { exact: true }).isVisible()).toBe(true);
    expect(await bar.getByRole('link', { name: 'Account' }).getAttribute('aria-current')).toBe('page');
    expect(await bar.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
  });

  it('sends a signed-out visit to sign-in and back to /settings after signing in', async () => {
    const { person } = await suite.signedIn('settingsguard');
    const page = await suite.newPage();

    await page.goto('/settings');
    await page.waitForURL(atPath('/auth/signin'));
    expect(pathOf(page)).toBe('/auth/signin?next=%2Fsettings');
    await submitSignIn(page, person.email, person.password);

    await page.waitForURL(atPath('/settings'));
    await heading(page, 'Account settings').waitFor();
  });
});

describe('Profile', () => {
  it('renames the person, shown in the top bar at once and kept after a reload', async () => {
    const { page, person } = await suite.signedIn('rename');
    await openSettings(page);
    const profile = settingsSection(page, 'Profile');
    expect(await profile.getByText(person.email, { exact: true }).isVisible()).toBe(true);

    await profile.getByLabel('Name').fill('Grace Hopper');
    await profile.getByRole('button', { name: 'Save' }).click();

    await page.getByRole('banner').getByText('Grace Hopper', { exact: true }).waitFor();
    await eventually(() => announcement(page).textContent()).toBe('Name saved');
    await page.reload();
    await heading(page, 'Account settings').waitFor();
    expect(await profile.getByLabel('Name').inputValue()).toBe('Grace Hopper');
    await page.getByRole('banner').getByText('Grace Hopper', { exact: true }).waitFor();
  });

  it('refuses an empty name beside the field, and keeps the old name', async () => {
    const { page, person } = await suite.signedIn('emptyname');
    await openSettings(page);
    const name = settingsSection(page, 'Profile').getByLabel('Name');

    await name.fill('   ');
    await settingsSection(page, 'Profile').getByRole('button', { name: 'Save' }).click();

    await eventually(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(name)).toBe('Name is required');
    expect(await isFocused(name)).toBe(true);
    expect(await page.getByRole('banner').getByText(person.name, { exact: true }).isVisible()).toBe(true);
  });

  it('shows the server’s sentence beside the name when the server refuses it', async () => {
    const { page } = await suite.signedIn('servername');
    await openSettings(page);
    await page.route('**/api/auth/me', (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 400,
            contentType: 'application/json',
            body: JSON.stringify({
              error: 'Validation failed',
              code: 'validation_failed',
              fields: { name: 'Name is not allowed' },
            }),
          })
        : route.continue(),
    );
    const name = settingsSection(page, 'Profile').getByLabel('Name');

    await name.fill('Refused');
    await settingsSection(page, 'Profile').getByRole('button', { name: 'Save' }).click();

    await eventually(() => name.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(name)).toBe('Name is not allowed');
  });
});

describe('every action', () => {
  it('shows progress on its button and sends one request however often it is pressed', async () => {
    const { page } = await suite.signedIn('doublesave');
    await openSettings(page);
    let patches = 0;
    let answer: () => void = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/api/auth/me', async (route) => {
      if (route.request().method() !== 'PATCH') return route.fallback();
      patches++;
      await answered;
      return route.fallback();
    });
    const profile = settingsSection(page, 'Profile');
    await profile.getByLabel('Name').fill('Pressed Twice');

    await profile.getByRole('button', { name: 'Save' }).click();
    const busy = profile.locator('button[aria-busy="true"]');
    await busy.waitFor();
    expect(await busy.textContent()).toBe('Saving…');
    expect(await busy.isDisabled()).toBe(true);
    await profile.getByLabel('Name').press('Enter');
    answer();

    await eventually(() => announcement(page).textContent()).toBe('Name saved');
    expect(patches).toBe(1);
  });

  it('says why when a device could not be signed out, and keeps it listed', async () => {
    const { page, person } = await suite.signedIn('revokefails');
    await signInElsewhere(await suite.newContext(), person);
    await openSettings(page);
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(2);
    await page.route('**/api/auth/sessions/*', (route) => route.abort());

    await page.getByRole('button', { name: /^Sign out Chrome( Headless)? on Linux$/ }).click();

    await eventually(() => settingsSection(page, 'Devices').getByRole('alert').textContent()).toBe(
      'Could not reach the server, please try again',
    );
    expect(await deviceList(page).getByRole('listitem').count()).toBe(2);
  });
});

describe('Password', () => {
  it('says other devices will be signed out, and shows "Current password is incorrect" beside the field', async () => {
    const { page } = await suite.signedIn('wrongcurrent');
    await openSettings(page);
    const section = settingsSection(page, 'Password');
    expect(await section.textContent()).toContain('signs out all your other devices');
    const current = section.getByLabel('Current password', { exact: true });
    expect(await current.getAttribute('autocomplete')).toBe('current-password');
    expect(await section.getByLabel('New password', { exact: true }).getAttribute('autocomplete')).toBe('new-password');

    await current.fill('not my password');
    await section.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await section.getByRole('button', { name: 'Change password' }).click();

    await eventually(() => current.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(current)).toBe('Current password is incorrect');
    expect(await isFocused(current)).toBe(true);
  });

  it('shows and hides each password on its own', async () => {
    const { page } = await suite.signedIn('showhide');
    await openSettings(page);
    const section = settingsSection(page, 'Password');

    await section.getByRole('button', { name: 'Show new password' }).click();

    expect(await section.getByLabel('New password', { exact: true }).getAttribute('type')).toBe('text');
    expect(await section.getByLabel('Current password', { exact: true }).getAttribute('type')).toBe('password');
  });

  it('changes the password and signs out the other devices, whose next action lands on sign-in', async () => {
    const { page, person } = await suite.signedIn('changepw');
    const other = await signInElsewhere(await suite.newContext(), person);
    await openSettings(page);
    const section = settingsSection(page, 'Password');

    await section.getByLabel('Current password', { exact: true }).fill(person.password);
    await section.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
    await section.getByRole('button', { name: 'Change password' }).click();

    await eventually(() => announcement(page).textContent()).toBe(
      'Password changed. Your other devices were signed out.',
    );
    expect(await section.getByLabel('Current password', { exact: true }).inputValue()).toBe('');
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(1);
    await expectSentToSignIn(other);
    await completeSignIn(other, { ...person, password: 'a brand new passphrase' });
  });
});

describe('Devices', () => {
  it('lists each signed-in device by name with its IP and times, marking this one', async () => {
    const { page, person } = await suite.signedIn('devices');
    await signInElsewhere(await suite.newContext(), person);
    await openSettings(page);
    const devices = deviceList(page).getByRole('listitem');

    await eventually(() => devices.count()).toBe(2);
    const here = devices.filter({ hasText: 'This device' });
    expect(await here.count()).toBe(1);
    const text = await here.textContent();
    expect(text).toMatch(/^Chrome( Headless)? on Linux/);
    expect(text).toContain('127.0.0.1');
    expect(text).toMatch(/Signed in(now|\d+ minutes? ago)/);
    expect(text).toMatch(/Last active(now|\d+ minutes? ago)/);
    // This device has no "Sign out" of its own: the top bar's ends this session.
    expect(await here.getByRole('button').count()).toBe(0);
    const other = devices.filter({ hasNotText: 'This device' });
    expect(await other.getByRole('button').textContent()).toMatch(/^Sign out Chrome( Headless)? on Linux$/);
  });

  it('signs one other device out without asking, and that device’s next action lands on sign-in', async () => {
    const { page, person } = await suite.signedIn('revokeone');
    const other = await signInElsewhere(await suite.newContext(), person);
    await openSettings(page);
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(2);

    await page.getByRole('button', { name: /^Sign out Chrome( Headless)? on Linux$/ }).click();

    await eventually(() => announcement(page).textContent()).toMatch(/^Chrome( Headless)? on Linux was signed out$/);
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(1);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await expectSentToSignIn(other);
    // This page's own session is untouched.
    await page.reload();
    await heading(page, 'Account settings').waitFor();
  });

  it('signs out of all other devices, keeping this one', async () => {
    const { page, person } = await suite.signedIn('revokeall');
    const first = await signInElsewhere(await suite.newContext(), person);
    const second = await signInElsewhere(await suite.newContext(), person);
    await openSettings(page);
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(3);

    await page.getByRole('button', { name: 'Sign out of all other devices' }).click();

    await eventually(() => announcement(page).textContent()).toBe('Signed out of 2 other devices');
    await eventually(() => deviceList(page).getByRole('listitem').count()).toBe(1);
    await expectSentToSignIn(first);
    await expectSentToSignIn(second);
    await page.reload();
    await heading(page, 'Account settings').waitFor();
  });

  it('sends this page to sign-in, keeping the way back, when its own session was ended elsewhere', async () => {
    const { page, person } = await suite.signedIn('revokedhere');
    const other = await signInElsewhere(await suite.newContext(), person);
    await openSettings(page);
    await openSettings(other);
    await other.getByRole('button', { name: 'Sign out of all other devices' }).click();
    await eventually(() => announcement(other).textContent()).toBe('Signed out of 1 other device');

    await settingsSection(page, 'Profile').getByLabel('Name').fill('Too late');
    await settingsSection(page, 'Profile').getByRole('button', { name: 'Save' }).click();

    await page.waitForURL(atPath('/auth/signin'));
    expect(pathOf(page)).toBe('/auth/signin?next=%2Fsettings');
    await statusMessage(page, SESSION_ENDED).waitFor();
  });
});

describe('Security activity', () => {
  it('lists the newest events first, in words, with time, IP and device, never a code', async () => {
    const { page, person } = await suite.signedIn('activity');
    const elsewhere = await (await suite.newContext()).newPage();
    await elsewhere.goto('/auth/signin');
    await submitSignIn(elsewhere, person.email, 'not the password');
    await eventually(() => elsewhere.getByRole('alert').textContent()).toBe('Invalid email or password');
    await completeSignIn(elsewhere, person);
    await openSettings(page);
    const events = settingsSection(page, 'Security activity').getByRole('listitem');

    await eventually(() => events.count()).toBe(3);
    const what = await settingsSection(page, 'Security activity').locator('.event__what').allTextContents();
    expect(what).toEqual(['Signed in', 'Wrong password', 'Account created']);
    const first = await events.first().textContent();
    expect(first).toMatch(/(now|minutes? ago) · IP 127\.0\.0\.1 · Chrome( Headless)? on Linux$/);
    expect(await settingsSection(page, 'Security activity').textContent()).not.toMatch(/[a-z]+_[a-z]+/);
  });

  it('shows a change made on this page once it is made', async () => {
    const { page } = await suite.signedIn('activitynew');
    await openSettings(page);
    const section = settingsSection(page, 'Security activity');
    await section.getByText('Account created').waitFor();

    await settingsSection(page, 'Profile').getByLabel('Name').fill('Renamed');
    await settingsSection(page, 'Profile').getByRole('button', { name: 'Save' }).click();

    await eventually(() => section.locator('.event__what').first().textContent()).toBe('Name changed');
  });
});

describe('Delete account', () => {
  it('asks in a dialog that names what is lost, and Cancel returns the focus to the button', async () => {
    const { page } = await suite.signedIn('deletecancel');
    await openSettings(page);
    const opener = settingsSection(page, 'Delete account').getByRole('button', { name: 'Delete account' });

    await opener.click();

    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    await dialog.waitFor();
    const message = await dialog.textContent();
    expect(message).toContain('tasks');
    expect(message).toContain('sessions');
    expect(await isFocused(dialog.getByLabel('Password', { exact: true }))).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(opener)).toBe(true);
  });

  it('refuses a wrong password beside the field and deletes nothing', async () => {
    const { page } = await suite.signedIn('deletewrong');
    await openSettings(page);
    await settingsSection(page, 'Delete account').getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
    const password = dialog.getByLabel('Password', { exact: true });

    await password.fill('not my password');
    await dialog.getByRole('button', { name: 'Delete account' }).click();

    await eventually(() => password.getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(password)).toBe('Current password is incorrect');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.reload();
    await heading(page, 'Account settings').waitFor();
  });

  it('deletes the account with its tasks and lands on sign-up with "Your account has been deleted"', async () => {
    const { page, person } = await suite.signedIn('deleteok');
    await addTaskViaUi(page, 'Gone with the account');
    await openSettings(page);
    await settingsSection(page, 'Delete account').getByRole('button', { name: 'Delete account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account?' });

    await dialog.getByLabel('Password', { exact: true }).fill(person.password);
    await dialog.getByRole('button', { name: 'Delete account' }).click();

    await page.waitForURL(atPath('/auth/signup'));
    await heading(page, 'Create your account').waitFor();
    await statusMessage(page, /^Your account has been deleted$/).waitFor();
    await page.goto('/auth/signin');
    await submitSignIn(page, person.email, person.password);
    await eventually(() => page.getByRole('alert').textContent()).toBe('Invalid email or password');
    await page.goto('/dashboard');
    await page.waitForURL(atPath('/auth/signin'));
    expect(await taskCheckbox(page, 'Gone with the account').count()).toBe(0);
  });
});
