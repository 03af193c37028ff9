import { useEffect, useState } from 'react';
import { reasonOf } from '../api/reason';

interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
}

/**
 * What `load` answers, fetched again whenever `version` changes (after an action on the page), so a
 * list shows what the server now holds. A failed reload keeps what was shown and says why.
 */
export function useLoaded<T>(load: () => Promise<T>, version: number): Loaded<T> & { setData: (data: T) => void } {
  const [state, setState] = useState<Loaded<T>>({ data: undefined, error: undefined });
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ data, error: undefined }),
      (error: unknown) => current && setState((shown) => ({ data: shown.data, error: reasonOf(error) })),
    );
    return () => {
      current = false;
    };
  }, [load, version]);
  return { ...state, setData: (data) => setState({ data, error: undefined }) };
}
