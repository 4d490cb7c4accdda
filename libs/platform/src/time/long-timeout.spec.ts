import { MAX_TIMER_MS, setLongTimeout } from './long-timeout';

describe('setLongTimeout', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2027-03-01T00:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  const DAY = 86_400_000;

  it('a plain setTimeout beyond 2^31 ms fires at once (what this guards against)', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const fired = jest.fn();
    setTimeout(fired, 40 * DAY);
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('waits the whole 40 days, in steps, and fires once', () => {
    const fired = jest.fn();
    setLongTimeout(fired, 40 * DAY);
    jest.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(40 * DAY - MAX_TIMER_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(100 * DAY);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('30 days (the longest JWT_TTL_SECONDS) is not cut short either', () => {
    const fired = jest.fn();
    setLongTimeout(fired, 30 * DAY);
    jest.advanceTimersByTime(30 * DAY - 1);
    expect(fired).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('clear() cancels a pending step, before and after the first one', () => {
    const early = jest.fn();
    setLongTimeout(early, 40 * DAY).clear();
    const late = jest.fn();
    const t = setLongTimeout(late, 40 * DAY);
    jest.advanceTimersByTime(MAX_TIMER_MS + 1000);
    t.clear();
    jest.advanceTimersByTime(100 * DAY);
    expect(early).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
  });

  it('short and negative delays behave like setTimeout', () => {
    const a = jest.fn();
    const b = jest.fn();
    setLongTimeout(a, 1000);
    setLongTimeout(b, -5);
    jest.advanceTimersByTime(0);
    expect(b).toHaveBeenCalled();
    jest.advanceTimersByTime(999);
    expect(a).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(a).toHaveBeenCalled();
  });
});
