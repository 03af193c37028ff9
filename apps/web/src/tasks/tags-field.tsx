import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { LIMITS } from '@todo/shared/limits';
import { normalizeTag, tagProblem, TASK_SENTENCES } from '@todo/shared/task-schemas';

interface TagsFieldProps {
  tags: string[];
  onChange: (tags: string[]) => void;
  /** What is typed but not yet added: the form adds it on submit, so nothing typed is lost. */
  draft: string;
  onDraftChange: (draft: string) => void;
  error: string | undefined;
}

/**
 * Adds the typed words to `tags` under the shared rules (normalised, no duplicates, at most 10), or
 * says which rule a word breaks. Used as each word is finished, and by the form on submit.
 */
export function addTags(tags: string[], words: string[]): { tags: string[]; problem?: string } {
  const next = [...tags];
  for (const word of words) {
    if (word.trim() === '') continue;
    const tag = normalizeTag(word);
    const problem = tagProblem(tag);
    if (problem) return { tags: next, problem };
    if (next.includes(tag)) continue;
    if (next.length >= LIMITS.tagsMax) return { tags: next, problem: TASK_SENTENCES.tooManyTags };
    next.push(tag);
  }
  return { tags: next };
}

/** Tags typed one at a time: Enter or a comma finishes one; each added tag has its own remove button. */
export function TagsField({ tags, onChange, draft, onDraftChange, error }: TagsFieldProps) {
  const id = useId();
  const [problem, setProblem] = useState<string>();
  const inputRef = useRef<HTMLInputElement>(null);
  const shown = problem ?? error;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;

  /** Adds `words`; what remains in the box is `rest`, or everything typed when a word broke a rule. */
  function finish(words: string[], rest: string, typed: string) {
    const result = addTags(tags, words);
    setProblem(result.problem);
    if (result.tags.length !== tags.length) onChange(result.tags);
    onDraftChange(result.problem ? typed.replace(/,\s*$/, '') : rest);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Enter' && draft.trim() !== '') {
      event.preventDefault(); // adds the tag instead of submitting the form
      finish([draft], '', draft);
    }
  }

  return (
    <div className={`field tags-field${shown ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>Tags</label>
      <div className="field__row">
        <input
          ref={inputRef}
          id={id}
          name="tags"
          dir="auto"
          autoComplete="off"
          enterKeyHint="enter"
          value={draft}
          aria-invalid={shown ? true : undefined}
          aria-describedby={shown ? errorId : hintId}
          onKeyDown={onKeyDown}
          onChange={(event) => {
            const value = event.target.value;
            // A comma finishes a tag: typed, or pasted as "home, garden" (phone keyboards send no key name).
            if (!value.includes(',')) {
              setProblem(undefined);
              onDraftChange(value);
              return;
            }
            const words = value.split(',');
            finish(words.slice(0, -1), words.at(-1) ?? '', value);
          }}
        />
      </div>
      {shown ? (
        <p id={errorId} className="field__error">
          {shown}
        </p>
      ) : (
        <p id={hintId} className="field__hint">
          Press Enter or type a comma after each tag
        </p>
      )}
      {tags.length > 0 && (
        <ul className="tag-chips" aria-label="Added tags">
          {tags.map((tag) => (
            <li key={tag} className="tag-chip">
              <span className="tag-chip__text" dir="auto">
                {tag}
              </span>
              <button
                type="button"
                className="tag-chip__remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => {
                  setProblem(undefined);
                  onChange(tags.filter((other) => other !== tag));
                  inputRef.current?.focus(); // the pressed button is gone: focus goes back to where tags are typed
                }}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
