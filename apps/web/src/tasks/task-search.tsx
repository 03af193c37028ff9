import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { validateFields } from '@todo/shared/field-errors';
import { listTasksQuerySchema } from '@todo/shared/task-schemas';
import { Field } from '../components/field';

interface TaskSearchProps {
  /** The search in the URL. */
  value: string;
  /** Puts a new search in the URL; called once typing pauses. */
  onSearch: (q: string) => void;
  /** The search input, for the "/" shortcut that brings the focus here from anywhere on the page. */
  inputRef?: RefObject<HTMLInputElement | null>;
}

/** How long typing must pause before the list is searched again. */
const DEBOUNCE_MS = 250;

/**
 * The search box: the list follows as one types (debounced). The search lives in the URL (?q=), so a
 * reload or a shared link keeps it.
 */
export function TaskSearch({ value, onSearch, inputRef }: TaskSearchProps) {
  const [text, setText] = useState(value);
  // The last search this box put in the URL: a different one there came from elsewhere (Back, a link).
  const written = useRef(value);
  const onSearchRef = useRef(onSearch);
  onSearchRef.current = onSearch;
  const error = validateFields(listTasksQuerySchema, { q: text }).q;

  useEffect(() => {
    if (value === written.current) return;
    written.current = value;
    setText(value);
  }, [value]);

  useEffect(() => {
    if (text === written.current || error) return;
    const timer = setTimeout(() => {
      written.current = text;
      onSearchRef.current(text);
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, error]);

  function searchNow(event: FormEvent<HTMLFormElement>) {
    event.preventDefault(); // Enter searches at once, without waiting for the pause
    if (error || text === written.current) return;
    written.current = text;
    onSearch(text);
  }

  return (
    <form role="search" className="task-search" onSubmit={searchNow} noValidate>
      <Field
        ref={inputRef}
        label="Search tasks"
        name="q"
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        error={error}
        hint="Press / to search from anywhere on the page"
        autoComplete="off"
        enterKeyHint="search"
      />
    </form>
  );
}
