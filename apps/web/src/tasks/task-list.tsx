import type { Task, TaskInput } from './tasks-api';
import { TaskItem } from './task-item';

export type Filter = 'all' | 'pending' | 'completed';

interface TaskListProps {
  tasks: Task[];
  filter: Filter;
  onToggle: (task: Task) => void;
  onEdit: (task: Task, input: TaskInput) => Promise<void>;
  onDelete: (task: Task) => void;
}

const emptyText: Record<Filter, string> = {
  all: 'No tasks yet',
  pending: 'No pending tasks',
  completed: 'No completed tasks',
};

export function TaskList({ tasks, filter, onToggle, onEdit, onDelete }: TaskListProps) {
  if (tasks.length === 0) {
    return (
      <p className="empty" role="status">
        {emptyText[filter]}
      </p>
    );
  }
  return (
    <ul className="tasks" aria-label="Tasks">
      {tasks.map((task) => (
        <TaskItem key={task.id} task={task} onToggle={onToggle} onEdit={onEdit} onDelete={onDelete} />
      ))}
    </ul>
  );
}
