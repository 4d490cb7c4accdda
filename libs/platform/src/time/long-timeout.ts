/** The longest delay a Node timer keeps: a longer one is clamped to 1 ms and fires at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `setTimeout` for any delay: beyond MAX_TIMER_MS (~24.8 days) it waits in steps, each step
 * re-reading the clock against the fixed end, so a token valid for 40 days is honoured for 40
 * days. `clear()` cancels whichever step is pending.
 */
export function setLongTimeout(fn: () => void, ms: number): { clear(): void } {
  const end = Date.now() + Math.max(0, ms);
  let timer: NodeJS.Timeout;
  const arm = (): void => {
    const left = end - Date.now();
    if (left <= MAX_TIMER_MS) timer = setTimeout(fn, Math.max(0, left));
    else timer = setTimeout(arm, MAX_TIMER_MS);
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
