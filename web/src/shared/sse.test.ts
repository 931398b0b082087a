import { describe, expect, it } from 'vitest';
import { SseParser } from './sse';

describe('SseParser', () => {
  it('gives a message once its blank line has arrived', () => {
    const parser = new SseParser();
    expect(parser.push('id: 7\nevent: alert\ndata: {"id":1}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ id: '7', event: 'alert', data: '{"id":1}' }]);
  });

  it('joins a message split anywhere across network pieces, CRLF included', () => {
    const parser = new SseParser();
    const text = 'id: 1\r\nevent: incident\r\ndata: {"a":\r\ndata: 2}\r\n\r\n';
    const out = [];
    for (const ch of text) out.push(...parser.push(ch));
    expect(out).toEqual([{ id: '1', event: 'incident', data: '{"a":\n2}' }]);
  });

  it('skips comment lines such as the heartbeat', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\n')).toEqual([]);
    expect(parser.push('data: x\n\n')).toEqual([{ id: null, event: 'message', data: 'x' }]);
  });

  it('keeps the last event id for messages that carry none', () => {
    const parser = new SseParser();
    parser.push('id: 41\ndata: a\n\n');
    expect(parser.push('data: b\n\n')).toEqual([{ id: '41', event: 'message', data: 'b' }]);
    expect(parser.lastEventId).toBe('41');
  });

  it('reads several messages from one piece', () => {
    const parser = new SseParser();
    const out = parser.push('id: 1\nevent: case\ndata: 1\n\nid: 2\nevent: case\ndata: 2\n\n');
    expect(out.map((m) => m.id)).toEqual(['1', '2']);
  });
});
