// How far a running CSV import has got: while the import request runs, its progress is read from
// GET /api/v1/imports/ID every `interval` ms. A poll that finds nothing yet (404: the server has
// not started the import) or fails is simply tried again at the next tick.
export interface Progress {
  state: 'running' | 'ended';
  fraction: number;
  committed?: boolean;
}

export function watchProgress(
  read: () => Promise<Progress>,
  onProgress: (p: Progress) => void,
  interval = 300,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    try {
      const progress = await read();
      if (stopped) return;
      onProgress(progress);
      if (progress.state === 'ended') return;
    } catch {
      if (stopped) return;
    }
    timer = setTimeout(() => void tick(), interval);
  };
  timer = setTimeout(() => void tick(), interval);
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

// Runs an import while watching its progress; the bar ends full once the import has answered.
export async function withProgress<T>(
  run: () => Promise<T>,
  read: () => Promise<Progress>,
  onProgress: (p: Progress) => void,
  interval = 300,
): Promise<T> {
  const stop = watchProgress(read, onProgress, interval);
  try {
    return await run();
  } finally {
    stop();
    onProgress({ state: 'ended', fraction: 1 });
  }
}
