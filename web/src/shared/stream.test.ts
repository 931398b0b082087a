import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStream, type SseMessage, type StreamState } from './sse';

// A stream answer that sends `text` and ends, as a server that drops the connection would.
function answer(text: string, status = 200): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
  return new Response(body, { status, headers: { 'Content-Type': 'text/event-stream' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('openStream', () => {
  it('sends the token as a header, never in the URL, and resumes after a drop from the last id', async () => {
    vi.useFakeTimers();
    const calls: { url: string; headers: Record<string, string> }[] = [];
    const replies = [answer('id: 5\nevent: alert\ndata: {"id":1}\n\n'), answer('id: 6\nevent: alert\ndata: {"id":2}\n\n')];
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push({ url, headers: init.headers as Record<string, string> });
      const reply = replies.shift();
      return reply ? Promise.resolve(reply) : new Promise<Response>(() => {});
    });
    const messages: SseMessage[] = [];
    const states: StreamState[] = [];
    const stop = openStream({
      url: '/api/v1/alerts/stream?types=alert',
      token: () => 'secret-token',
      onMessage: (m) => messages.push(m),
      onState: (s) => states.push(s),
      onRefused: () => {},
    });
    await vi.waitFor(() => expect(states).toContain('retrying'));
    await vi.advanceTimersByTimeAsync(1000);
    await vi.waitFor(() => expect(messages).toHaveLength(2));
    stop();

    expect(messages.map((m) => m.id)).toEqual(['5', '6']);
    expect(calls[0].url).toBe('/api/v1/alerts/stream?types=alert');
    expect(calls[0].headers.Authorization).toBe('Bearer secret-token');
    expect(calls[0].headers['Last-Event-ID']).toBeUndefined();
    expect(calls[1].headers['Last-Event-ID']).toBe('5');
  });

  it('stops for good when the server refuses the token', async () => {
    let asked = 0;
    vi.stubGlobal('fetch', () => {
      asked += 1;
      return Promise.resolve(answer('', 401));
    });
    const refused = await new Promise<number>((resolve) =>
      openStream({ url: '/s', token: () => 'old', onMessage: () => {}, onState: () => {}, onRefused: resolve }),
    );
    expect(refused).toBe(401);
    expect(asked).toBe(1);
  });
});
