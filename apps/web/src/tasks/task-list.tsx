import { useEffect, useRef } from 'react';
import { Button } from '../components/button';
import type { Task, TaskInput } from './tasks-api';
import { TaskItem } from './task-item';
import { useListFocus } from './use-list-focus';

interface TaskListProps {
  tasks: Task[];
  now: Date;
  emptyText: string;
  onToggle: (task: Task) => void;
  onEdit: (task: Task, input: TaskInput) => Promise<void>;
  onDelete: (task: Task) => void;
  onTag: (tag: string) => void;
  /** More rows follow on the server. */
  hasMore: boolean;
  loadingMore: boolean;
  /** Why the last following page failed, shown with a way to try again. */
  moreError: string | undefined;
  onLoadMore: () => void;
  /** Where focus goes when the task that held it was the last one. */
  onEmptied: () => void;
}

/** How close to the end of the list (in px) scrolling starts loading the next page. */
const PRELOAD_MARGIN_PX = 800;

export function TaskList({
  tasks,
  now,
  emptyText,
  onToggle,
  onEdit,
  onDelete,
  onTag,
  hasMore,
  loadingMore,
  moreError,
  onLoadMore,
  onEmptied,
}: TaskListProps) {
  const focus = useListFocus(tasks, onEmptied);
  const sentinel = useRef<HTMLDivElement>(null);
  const onLoadMoreRef = useRef(onLoadMore);
  onLoadMoreRef.current = onLoadMore;
  // After a failure the person decides when to try again: the observer does not retry on its own.
  const autoLoad = hasMore && !moreError;

  useEffect(() => {
    const target = sentinel.current;
    if (!autoLoad || !target || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) onLoadMoreRef.current();
      },
      { rootMargin: `0px 0px ${PRELOAD_MARGIN_PX}px 0px` },
    );
    observer.observe(target);
    return () => observer.disconnect();
    // Observed afresh after each page, so a sentinel still in view after a short page asks for the next.
  }, [autoLoad, tasks.length]);

  return (
    <>
      {tasks.length === 0 && !hasMore ? (
        <p className="empty" role="status">
          {emptyText}
        </p>
      ) : (
        <ul className="tasks" aria-label="Tasks" onFocus={focus.onFocus} onBlur={focus.onBlur}>
          {tasks.map((task) => (
            <TaskItem
              key={task.id}
              task={task}
              now={now}
              onToggle={onToggle}
              onEdit={onEdit}
              onDelete={onDelete}
              onTag={onTag}
            />
          ))}
        </ul>
      )}
      {hasMore && (
        <div className="load-more" ref={sentinel}>
          {moreError && (
            <p className="form-error" role="alert">
              Could not load more tasks. {moreError}
            </p>
          )}
          <Button variant="secondary" busy={loadingMore} busyLabel="Loading more tasks…" onClick={onLoadMore}>
            {moreError ? 'Try again' : 'Load more'}
          </Button>
        </div>
      )}
    </>
  );
}
