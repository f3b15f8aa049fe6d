import { useEffect, useState } from 'react';

/**
 * `value` once it has stayed the same (by `key`) for `ms` milliseconds; the first value at once.
 * For reads that are dear on the server and only summarise what the analyst sees (the IP page's
 * summary follows the zoom): three quick zoom presses ask once, not three times, while the charts
 * follow every press. A summary read held the server's event loop for 0.4-0.8 s (~0.2 s once the
 * store read histograms as bytes; session 7), and a burst of them held back the next page's HTML by seconds.
 */
export function useSettled<T>(value: T, key: string, ms: number): T {
  const [settled, setSettled] = useState({ value, key });
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ value, key }), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return key === settled.key ? value : settled.value;
}
