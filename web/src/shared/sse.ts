// The live stream (GET /api/v1/alerts/stream) read with fetch, because a browser's EventSource
// cannot send the Authorization header and the token must not travel in the URL. The frames are
// parsed here as the Server-Sent Events standard says, and a dropped connection resumes with
// Last-Event-ID so that nothing is missed or seen twice.

export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

// Takes the stream's text in whatever pieces the network delivers and hands back each message
// once its blank line has arrived.
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | null = null;
  private sawCr = false;
  lastEventId: string | null = null;

  push(chunk: string): SseMessage[] {
    // A CR at the end of one piece and an LF at the start of the next are one line break.
    if (this.sawCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.sawCr = chunk.endsWith('\r');
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const match = /\r\n|\r|\n/g;
      match.lastIndex = start;
      const found = match.exec(this.buffer);
      if (!found) break;
      const line = this.buffer.slice(start, found.index);
      start = found.index + found[0].length;
      const message = this.line(line);
      if (message) out.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string): SseMessage | null {
    if (line === '') {
      if (this.id !== null) this.lastEventId = this.id;
      if (this.data.length === 0) {
        this.event = '';
        return null;
      }
      const message = { id: this.id ?? this.lastEventId, event: this.event || 'message', data: this.data.join('\n') };
      this.data = [];
      this.event = '';
      return message;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return null;
  }
}

export type StreamState = 'connecting' | 'open' | 'retrying';

export interface StreamOptions {
  url: string;
  token: () => string | null;
  onMessage: (message: SseMessage) => void;
  onState: (state: StreamState) => void;
  // Told when the server refuses the stream for good (401, 403): no point retrying.
  onRefused: (status: number) => void;
}

// Keeps the stream open until the returned function is called, reconnecting after 1, 2, 4 … 30 s.
export function openStream(options: StreamOptions): () => void {
  const controller = new AbortController();
  let lastEventId: string | null = null;
  let delay = 1000;
  let stopped = false;

  const run = async () => {
    while (!stopped) {
      options.onState('connecting');
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream' };
        const bearer = options.token();
        if (bearer) headers.Authorization = `Bearer ${bearer}`;
        if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(options.url, { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) {
          options.onRefused(response.status);
          return;
        }
        if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
        options.onState('open');
        delay = 1000;
        const parser = new SseParser();
        parser.lastEventId = lastEventId;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const message of parser.push(value)) {
            if (message.id !== null) lastEventId = message.id;
            options.onMessage(message);
          }
        }
      } catch {
        if (stopped) return;
      }
      if (stopped) return;
      options.onState('retrying');
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}
