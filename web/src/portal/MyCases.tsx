import { useState } from 'react';
import { errorText, get, post, type Page } from '../shared/api';
import { label, t, useLang } from '../shared/i18n';
import { linkClick } from '../shared/router';
import { formatTime } from '../shared/time';
import { Badge, Empty, ErrorNote, Guard, useLoad } from '../shared/ui';
import { caseTone } from '../shared/tones';

interface MyCaseSummary {
  id: number;
  created_at: string;
  category_name: string | null;
  category: string;
  description: string;
  status: string;
}

interface MyCaseDetail extends MyCaseSummary {
  summary: string | null;
  history: { ts: string; action: string; to: string | null }[];
  allowed_actions: string[];
}

export function MyCases() {
  useLang();
  const cases = useLoad(() => get<Page<MyCaseSummary>>('/api/v1/cases?limit=100'), []);
  return (
    <>
      <h1>{t('portal.myCases')}</h1>
      <Guard state={cases}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty text={t('portal.noCases')} />
          ) : (
            <ul className="cards" data-testid="my-cases">
              {[...page.items].reverse().map((c) => (
                <li key={c.id} className="card">
                  <a className="row" href={`/m/cases/${c.id}`} onClick={(e) => linkClick(e, `/m/cases/${c.id}`)}>
                    <span>
                      #{c.id} · {c.category_name ?? c.category}
                    </span>
                    <Badge tone={caseTone[c.status] ?? 'muted'}>{label('caseStatus', c.status)}</Badge>
                  </a>
                  <p className="clip">{c.description}</p>
                  <p className="meta">{formatTime(c.created_at)}</p>
                </li>
              ))}
            </ul>
          )
        }
      </Guard>
    </>
  );
}

export function MyCase({ id }: { id: number }) {
  useLang();
  const [override, setOverride] = useState<MyCaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const state = useLoad(() => get<MyCaseDetail>(`/api/v1/cases/${id}`), [id]);
  const rate = async (score: number) => {
    try {
      setError(null);
      setOverride(await post<MyCaseDetail>(`/api/v1/cases/${id}/actions`, { action: 'rate', score }));
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <Guard state={{ ...state, data: override ?? state.data }}>
      {(c) => (
        <>
          <p>
            <a href="/m/cases" onClick={(e) => linkClick(e, '/m/cases')}>
              ← {t('common.back')}
            </a>
          </p>
          <h1>
            #{c.id} · {c.category_name ?? c.category}
          </h1>
          <p>
            <Badge tone={caseTone[c.status] ?? 'muted'}>{label('caseStatus', c.status)}</Badge>
          </p>
          <p className="card">{c.description}</p>
          {c.summary && <p className="card done">{c.summary}</p>}
          {c.allowed_actions.includes('rate') && (
            <div className="card">
              <h2>{label('caseAction', 'rate')}</h2>
              <div className="stars" role="group" aria-label={t('case.field.score')}>
                {[1, 2, 3, 4, 5].map((s) => (
                  <button key={s} type="button" onClick={() => void rate(s)} aria-label={`${s}`}>
                    {'★'.repeat(s)}
                  </button>
                ))}
              </div>
            </div>
          )}
          {error && <ErrorNote text={error} />}
          <h2>{t('case.history')}</h2>
          <ol className="steps">
            {c.history.map((s, i) => (
              <li key={i}>
                <span className="meta">{formatTime(s.ts)}</span> {label('caseAction', s.action)}
                {s.to ? ` → ${label('caseStatus', s.to)}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
    </Guard>
  );
}
