import { useEffect, useRef } from 'react';
import { pageTitle } from './page-title';

/** The first page heading shown since the app started; the per-instance token survives StrictMode's re-run. */
let firstHeading: object | undefined;

/**
 * A page's <h1>, which also names the document. When a page replaces another in the app, focus moves
 * here, so a keyboard or screen-reader user starts at the top of the new page instead of on <body>. The
 * first page after a load keeps the browser's own start: nothing has been lost, and a person may
 * already be typing.
 */
export function PageHeading({ children, id }: { children: string; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const token = useRef({});

  useEffect(() => {
    document.title = pageTitle(children);
  }, [children]);

  useEffect(() => {
    firstHeading ??= token.current;
    if (firstHeading !== token.current) ref.current?.focus();
  }, []);

  return (
    <h1 ref={ref} id={id} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Moves focus to the page's heading: where a keyboard user is put when the control they were on is gone. */
export function focusPageHeading(): void {
  document.querySelector<HTMLElement>('h1[tabindex="-1"]')?.focus();
}
