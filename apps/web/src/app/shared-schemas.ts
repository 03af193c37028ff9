// zod and the request schemas are about a quarter of the app's bytes, and a first visit (the sign-in
// page) needs none of them until the person submits; so they load on first use. Each loader tells zod
// not to probe for eval (zod-jitless) before any schema module is evaluated.
const jitless = () => import('@todo/shared/zod-jitless');

export async function loadAuthSchemas() {
  await jitless();
  return import('@todo/shared/auth-schemas');
}

/** The dashboard, whose filters in the URL are read with the shared schemas as it renders. */
export async function loadTasksPage() {
  await jitless();
  const { TasksPage } = await import('../tasks/tasks-page');
  return { default: TasksPage };
}

/** Account settings, whose forms check names and passwords with the shared schemas. */
export async function loadSettingsPage() {
  await jitless();
  const { SettingsPage } = await import('../account/settings-page');
  return { default: SettingsPage };
}
