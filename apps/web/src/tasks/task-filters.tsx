import type { DueFilter, Priority, TaskSort } from '@todo/shared/task-schemas';
import { Button } from '../components/button';
import { SelectField } from '../components/field';
import type { TagCounts } from './tasks-api';
import type { Status, TaskView } from './task-view';

interface TaskFiltersProps {
  view: TaskView;
  tags: TagCounts;
  onChange: (changes: Partial<TaskView>) => void;
}

const STATUSES: { value: Status; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'pending', label: 'Pending' },
  { value: 'completed', label: 'Completed' },
];

const PRIORITY_OPTIONS = [
  { value: '', label: 'Any priority' },
  { value: 'high', label: 'High' },
  { value: 'medium', label: 'Medium' },
  { value: 'low', label: 'Low' },
];

const DUE_OPTIONS = [
  { value: '', label: 'Any due date' },
  { value: 'overdue', label: 'Overdue' },
  { value: 'today', label: 'Due today' },
  { value: 'week', label: 'Due this week' },
  { value: 'none', label: 'No due date' },
];

const SORT_OPTIONS = [
  { value: 'created', label: 'Newest first' },
  { value: 'due', label: 'Due date' },
  { value: 'priority', label: 'Priority' },
  { value: 'title', label: 'Title (A–Z)' },
];

/** All / Pending / Completed: the filter people reach for most, as a group of toggle buttons. */
export function StatusFilter({ view, onChange }: Pick<TaskFiltersProps, 'view' | 'onChange'>) {
  return (
    <div role="group" aria-label="Filter tasks" className="filters">
      {STATUSES.map(({ value, label }) => (
        <button
          key={value}
          type="button"
          className="filter"
          aria-pressed={view.status === value}
          onClick={() => onChange({ status: value })}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

/** Priority, tag, due date and sort: native selects, each in the URL. */
export function TaskFilters({ view, tags, onChange }: TaskFiltersProps) {
  const tagOptions = [
    { value: '', label: 'Any tag' },
    // A tag from a link or a click is offered even when no task carries it any more.
    ...(view.tag && !tags.some(({ tag }) => tag === view.tag) ? [{ value: view.tag, label: view.tag }] : []),
    ...tags.map(({ tag, count }) => ({ value: tag, label: `${tag} (${count})` })),
  ];
  const narrowed = !!(view.priority || view.tag || view.due || view.q);
  return (
    <div className="more-filters">
      <SelectField
        label="Filter by priority"
        value={view.priority ?? ''}
        onChange={(event) => onChange({ priority: (event.target.value || undefined) as Priority | undefined })}
        options={PRIORITY_OPTIONS}
      />
      <SelectField
        label="Filter by tag"
        value={view.tag ?? ''}
        onChange={(event) => onChange({ tag: event.target.value || undefined })}
        options={tagOptions}
      />
      <SelectField
        label="Filter by due date"
        value={view.due ?? ''}
        onChange={(event) => onChange({ due: (event.target.value || undefined) as DueFilter | undefined })}
        options={DUE_OPTIONS}
      />
      <SelectField
        label="Sort by"
        value={view.sort}
        onChange={(event) => onChange({ sort: event.target.value as TaskSort })}
        options={SORT_OPTIONS}
      />
      {narrowed && (
        <Button
          variant="secondary"
          className="more-filters__clear"
          onClick={() => onChange({ q: '', priority: undefined, tag: undefined, due: undefined })}
        >
          Clear search and filters
        </Button>
      )}
    </div>
  );
}
