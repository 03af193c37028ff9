import { useEffect, useState } from 'react';
import { readDraft, writeDraft } from '../app/drafts';

/** The words typed into a task form: what is worth keeping if the session ends before they are saved. */
export interface TaskDraft {
  title: string;
  description: string;
}

export const ADD_TASK_DRAFT = 'add-task';
export const editTaskDraft = (taskId: number) => `edit-task:${taskId}`;

export const readTaskDraft = (key: string) => readDraft<TaskDraft>(key);
export const forgetTaskDraft = (key: string) => writeDraft(key, undefined);

/** The draft kept under `key` when the form opened (read once, so typing is not overridden). */
export function useRestoredTaskDraft(key: string | undefined): TaskDraft | undefined {
  const [restored] = useState(() => (key ? readTaskDraft(key) : undefined));
  return restored;
}

/** Every change is kept at once, since a 401 can end the page at any moment. Empty fields keep nothing. */
export function useKeepTaskDraft(key: string | undefined, title: string, description: string): void {
  useEffect(() => {
    if (key) writeDraft(key, title || description ? { title, description } : undefined);
  }, [key, title, description]);
}
