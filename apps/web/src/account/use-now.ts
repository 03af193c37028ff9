import { useEffect, useState } from 'react';

/** The time relative times are told against, moved on each minute so "now" turns "1 minute ago". */
export function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
