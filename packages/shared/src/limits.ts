/**
 * The length rules of the contract, in Unicode code points. The API's schemas, the web app's forms and
 * the database's CHECK constraints all read these numbers, so the three cannot drift apart.
 * The `list` pair is the size of one page of a list (`?limit=`), which the web app asks for too;
 * `tags` bounds a task's tags, `tag` one tag, `search` the search box (`?q=`).
 */
export const LIMITS = {
  nameMax: 100,
  emailMax: 254,
  passwordMin: 8,
  passwordMax: 128,
  titleMax: 200,
  descriptionMax: 1000,
  listLimitMax: 500,
  listLimitDefault: 100,
  tagsMax: 10,
  tagMax: 30,
  searchMax: 100,
} as const;
