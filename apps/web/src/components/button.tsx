import type { ButtonHTMLAttributes, Ref } from 'react';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** While true the button shows `busyLabel` and cannot be pressed again. */
  busy?: boolean;
  busyLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  busy = false,
  busyLabel,
  variant = 'primary',
  className,
  disabled,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      className={`button button--${variant}${className ? ` ${className}` : ''}`}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
