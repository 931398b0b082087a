import { t } from '../../shared/i18n';
import type { StreamState } from '../../shared/sse';

// Says whether pushed changes are arriving, so that a quiet feed is not mistaken for a calm one.
export function LiveState({ state }: { state: StreamState | 'refused' }) {
  const text = state === 'open' ? t('alerts.connected') : state === 'connecting' ? t('alerts.connecting') : t('alerts.reconnecting');
  if (state === 'refused') return null;
  return (
    <span className={`live live-${state}`} role="status" aria-live="polite" data-state={state}>
      {text}
    </span>
  );
}
