import type { Ref } from 'react';

/**
 * A message about the whole form (not one field), announced as soon as it appears. It can take focus
 * (tabIndex -1), so a failed submit puts the keyboard user on the reason rather than on <body>.
 */
export function FormError({ message, ref }: { message: string | undefined; ref?: Ref<HTMLParagraphElement> }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert" tabIndex={-1} ref={ref}>
      {message}
    </p>
  );
}
