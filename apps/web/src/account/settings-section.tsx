import { useId, type ReactNode, type Ref } from 'react';

interface SettingsSectionProps {
  title: string;
  children: ReactNode;
  /** The heading can take focus: where the keyboard goes when the control it was on is gone. */
  headingRef?: Ref<HTMLHeadingElement>;
}

/** One part of the settings page: a region named by its <h2>, so a screen reader can jump between them. */
export function SettingsSection({ title, children, headingRef }: SettingsSectionProps) {
  const id = useId();
  return (
    <section className="card settings__section" aria-labelledby={id}>
      <h2 id={id} ref={headingRef} tabIndex={-1}>
        {title}
      </h2>
      {children}
    </section>
  );
}
