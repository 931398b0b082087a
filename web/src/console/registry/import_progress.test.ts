import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchProgress, withProgress, type Progress } from './import_progress';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('import progress', () => {
  it('polls every interval until the import has ended', async () => {
    const answers: Progress[] = [
      { state: 'running', fraction: 0.2 },
      { state: 'running', fraction: 0.7 },
      { state: 'ended', fraction: 1, committed: true },
    ];
    const read = vi.fn(async () => answers.shift()!);
    const seen: number[] = [];
    watchProgress(read, (p) => seen.push(p.fraction), 300);
    await vi.advanceTimersByTimeAsync(299);
    expect(read).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1500);
    expect(seen).toEqual([0.2, 0.7, 1]);
    expect(read).toHaveBeenCalledTimes(3);
  });

  it('keeps polling through a 404 before the server has started the import', async () => {
    let calls = 0;
    const read = vi.fn(async () => {
      calls++;
      if (calls === 1) throw new Error('404');
      return { state: 'running', fraction: 0.5 } as Progress;
    });
    const seen: number[] = [];
    const stop = watchProgress(read, (p) => seen.push(p.fraction), 300);
    await vi.advanceTimersByTimeAsync(650);
    expect(seen).toEqual([0.5]);
    stop();
    await vi.advanceTimersByTimeAsync(3000);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('stops polling and shows the bar full once the import answers', async () => {
    const read = vi.fn(async () => ({ state: 'running', fraction: 0.4 }) as Progress);
    const seen: number[] = [];
    let finish: (v: string) => void = () => {};
    const done = withProgress(() => new Promise<string>((ok) => (finish = ok)), read, (p) => seen.push(p.fraction), 300);
    await vi.advanceTimersByTimeAsync(350);
    finish('answer');
    expect(await done).toBe('answer');
    await vi.advanceTimersByTimeAsync(3000);
    expect(seen).toEqual([0.4, 1]);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
