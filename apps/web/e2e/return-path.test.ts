import { describe, expect, it } from 'vitest';
import { atPath, heading, pathOf, submitSignIn } from './support/browser';
import { useBrowserSuite } from './support/suite';

const suite = useBrowserSuite();

// Each a path that starts with one slash as typed, but with two once the browser has resolved its dot
// segments ("." and "..", also written %2e): followed as a link, it would leave for evil.example.
// Written into ?next= as encodeURIComponent would, so the page reads exactly the variant.
const DOT_SEGMENT_VARIANTS = [
  ['/.//evil.example', '/.//evil.example/steal'],
  ['/..//evil.example', '/..//evil.example/steal'],
  ['/%2e//evil.example', '/%2e//evil.example/steal'],
  ['/%2E%2E//evil.example', '/%2E%2E//evil.example/steal'],
  ['/./\\evil.example', '/./\\evil.example/steal'],
  ['/../\\evil.example', '/../\\evil.example/steal'],
  ['/./%09/evil.example, a tab after the dot segment', '/./\t/evil.example'],
  ['/dashboard/..//evil.example, a dot segment further in', '/dashboard/..//evil.example'],
] as const;

describe('the return path after sign-in', () => {
  it.each(DOT_SEGMENT_VARIANTS)('ignores %s and lands on /dashboard of this site', async (_case, next) => {
    const { person } = await suite.signedIn('dotsegment');

    const page = await suite.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`/auth/signin?next=${encodeURIComponent(next)}`);
    await submitSignIn(page, person.email, person.password);

    await page.waitForURL(atPath('/dashboard'));
    await heading(page, 'My tasks').waitFor();
    expect(new URL(page.url()).origin).toBe(suite.server.baseUrl);
    expect(pathOf(page)).toBe('/dashboard');
    expect(errors).toEqual([]);
  });

  it('keeps a path on this site whose dot segments resolve to it, as the browser resolves them', async () => {
    const { person } = await suite.signedIn('dotonsite');

    const page = await suite.newPage();
    await page.goto(`/auth/signin?next=${encodeURIComponent('/auth/../dashboard?from=mail#top')}`);
    await submitSignIn(page, person.email, person.password);

    await page.waitForURL(atPath('/dashboard'));
    await heading(page, 'My tasks').waitFor();
    expect(pathOf(page)).toBe('/dashboard?from=mail');
    expect(new URL(page.url()).hash).toBe('#top');
  });
});

describe('a page that fails to render', () => {
  it('shows an error page with a heading and a way back to /dashboard, not a blank page or a stack', async () => {
    const { page } = await suite.signedIn('boundary');
    // A task list the page cannot render (an object where a list belongs): a fault in the page itself.
    await page.route('**/api/*/tasks?*', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"unexpected":true}' }),
    );
    await page.reload();

    await heading(page, 'Something went wrong').waitFor();
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/\bat \w+ \(|TypeError|\.tsx?:\d+/);
    const back = page.getByRole('link', { name: 'Go to your tasks' });
    expect(await back.getAttribute('href')).toBe('/dashboard');

    await page.unroute('**/api/*/tasks?*');
    await back.click();
    await page.waitForURL(atPath('/dashboard'));
    await heading(page, 'My tasks').waitFor();
  });
});
