import { useCallback, useEffect, useRef, useState } from 'react';
import * as tasksApi from './tasks-api';
import type { TagCounts } from './tasks-api';

/** The person's tags, most used first, for the tag filter; asked for again after every change. */
export function useTags(userId: string) {
  const [tags, setTags] = useState<TagCounts>([]);
  const requests = useRef(0);
  const refresh = useCallback(() => {
    const request = ++requests.current;
    // A failure keeps the last list: the filter still works with the tags it shows.
    tasksApi.listTags(userId).then(
      (fresh) => request === requests.current && setTags(fresh),
      () => {},
    );
  }, [userId]);
  useEffect(refresh, [refresh]);
  return { tags, refresh };
}
