import { useId, useLayoutEffect, useState, type RefObject } from 'react';
import type { FieldErrors } from './use-form-submit';

interface ErrorLink {
  id: string;
  label: string;
}

/** The invalid fields of a form, in the order a person meets them, each with the label that names it. */
function invalidFields(form: HTMLFormElement): ErrorLink[] {
  return [...form.querySelectorAll<HTMLElement>('[aria-invalid="true"][id]')].map((field) => ({
    id: field.id,
    label: (field as HTMLInputElement).labels?.[0]?.textContent ?? field.id,
  }));
}

interface ErrorSummaryProps {
  errors: FieldErrors;
  /** The form whose fields are summarised. */
  formRef: RefObject<HTMLFormElement | null>;
}

/**
 * With two or more field errors, a box above the form ("There is a problem") that is announced at once
 * and links to each invalid field; following a link puts the focus in the field, whose own message then
 * describes it. Each link is named by the field's label, not its sentence, so the sentence is read once,
 * beside the field. One error needs no summary: the inline message is enough.
 */
export function ErrorSummary({ errors, formRef }: ErrorSummaryProps) {
  const [links, setLinks] = useState<ErrorLink[]>([]);
  const headingId = useId();

  // Read from the page once the fields show their errors: some fields (behind "More options") only
  // exist after this render, and each field owns its id.
  useLayoutEffect(() => {
    setLinks(Object.keys(errors).length >= 2 && formRef.current ? invalidFields(formRef.current) : []);
  }, [errors, formRef]);

  if (links.length < 2) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby={headingId}>
      <h2 id={headingId}>There is a problem</h2>
      <ul>
        {links.map((link) => (
          <li key={link.id}>
            <a
              href={`#${link.id}`}
              onClick={(event) => {
                // Focus, not just scroll: a fragment link alone leaves the focus where it was.
                event.preventDefault();
                document.getElementById(link.id)?.focus();
              }}
            >
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
