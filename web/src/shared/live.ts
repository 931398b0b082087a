// The live stream as a React hook: opened while the component is shown, closed when it goes.
import { useEffect, useRef, useState } from 'react';
import { token } from './api';
import { openStream, type SseMessage, type StreamState } from './sse';

export function useLiveStream(types: string, onMessage: (event: string, data: unknown) => void): StreamState | 'refused' {
  const [state, setState] = useState<StreamState | 'refused'>('connecting');
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(
    () =>
      openStream({
        url: `/api/v1/alerts/stream?types=${encodeURIComponent(types)}`,
        token,
        onState: setState,
        onRefused: () => setState('refused'),
        onMessage: (message: SseMessage) => {
          try {
            handler.current(message.event, JSON.parse(message.data));
          } catch {
            // A message that is not JSON is not one of Anju's; nothing to show.
          }
        },
      }),
    [types],
  );
  return state;
}
