import { useId, useLayoutEffect, useRef, useState } from 'react';

/**
 * A task's description, cut to three lines in the list so one long note does not push the others off
 * the screen. "Show more" appears only when the text is actually cut.
 */
export function TaskDescription({ text }: { text: string }) {
  const [expanded, setExpanded] = useState(false);
  const [overflows, setOverflows] = useState(false);
  const paragraph = useRef<HTMLParagraphElement>(null);
  const id = useId();

  // Measured while clamped, and again whenever the row's width changes (a rotated phone, a resized
  // window); while expanded the last answer stands, so "Show less" stays.
  useLayoutEffect(() => {
    const element = paragraph.current;
    if (!element || expanded) return;
    const measure = () => setOverflows(element.scrollHeight > element.clientHeight + 1);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [expanded, text]);

  return (
    <>
      <p
        ref={paragraph}
        id={id}
        dir="auto"
        className={`task__description${expanded ? '' : ' task__description--clamped'}`}
      >
        {text}
      </p>
      {(overflows || expanded) && (
        <button
          type="button"
          className="text-toggle"
          aria-expanded={expanded}
          aria-controls={id}
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
    </>
  );
}
