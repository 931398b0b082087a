// One case: what was reported, where it stands, every step so far, and a form for each action the
// API says this user may take now (and no others).
import { useCallback, useState, type FormEvent } from 'react';
import { currentUser, errorText, get, post } from '../../shared/api';
import { label, localMessage, t, useLang, type WordKey } from '../../shared/i18n';
import { linkClick } from '../../shared/router';
import { useLiveStream } from '../../shared/live';
import { formatTime } from '../../shared/time';
import { Badge, ErrorNote, Guard, useLoad } from '../../shared/ui';
import { actionBody, actionFields, levels, routes, type ActionField } from '../case_actions';
import { caseTone } from '../../shared/tones';
import type { CaseSummary } from './Cases';
import { CaseMediations } from './Mediations';
import { mayUse } from '../navigation';

interface Step {
  ts: string;
  actor: string;
  action: string;
  from: string | null;
  to: string | null;
  note: string | null;
}

interface CaseDetail extends CaseSummary {
  channel: string;
  address: string | null;
  route: string | null;
  summary: string | null;
  rating: number | null;
  joint: { id: number; name: string; reported_at: string | null }[];
  reporters: { name: string | null; phone: string | null }[];
  history: Step[];
  allowed_actions: string[];
}

export function CasePage({ id }: { id: number }) {
  const current = useLang();
  // The page as last read or as the last action answered, whichever came later.
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const state = useLoad(async () => {
    const read = await get<CaseDetail>(`/api/v1/cases/${id}`);
    setDetail(read);
    return read;
  }, [id]);
  const { reload } = state;
  // A step on this case by anyone: read the page again for its history and actions.
  useLiveStream(
    'case',
    useCallback(
      (event: string, data: unknown) => {
        if (event === 'case' && (data as { id: number }).id === id) reload();
      },
      [id, reload],
    ),
  );
  const data = detail;

  return (
    <section aria-labelledby="case-title">
      <p>
        <a href="/cases" onClick={(e) => linkClick(e, '/cases')}>
          ← {t('common.back')}
        </a>
      </p>
      <Guard state={{ ...state, data }}>
        {(c) => (
          <>
            <div className="page-head">
              <h1 id="case-title">{t('case.title', { id: c.id })}</h1>
              <Badge tone={caseTone[c.status] ?? 'muted'}>{label('caseStatus', c.status)}</Badge>
              {c.overdue && <Badge tone="bad">{t('cases.overdue')}</Badge>}
            </div>
            <dl className="facts">
              <Fact name={t('cases.category')} value={c.category_name ?? c.category} />
              <Fact name={t('case.channel')} value={label('channel', c.channel)} />
              <Fact name={t('cases.created')} value={formatTime(c.created_at)} />
              <Fact name={t('cases.due')} value={formatTime(c.due_at)} />
              <Fact name={t('cases.level')} value={c.level ? label('caseLevel', c.level) : '—'} />
              <Fact name={t('case.field.route')} value={c.route ? label('caseRoute', c.route) : '—'} />
              <Fact name={t('case.lead')} value={c.lead?.name ?? '—'} />
              <Fact name={t('case.joint')} value={c.joint.map((j) => j.name).join('、') || '—'} />
              <Fact name={t('case.reporters')} value={c.reporters.map((r) => [r.name, r.phone].filter(Boolean).join(' ')).join('；') || '—'} />
              <Fact name={t('case.address')} value={c.address ?? '—'} />
            </dl>
            <p className="description">{c.description}</p>
            {c.summary && <p className="summary">{c.summary}</p>}

            <h2>{t('case.actions')}</h2>
            {c.allowed_actions.length === 0 ? (
              <p className="state">{t('case.noActions')}</p>
            ) : (
              <Actions key={c.status + c.history.length} detail={c} onDone={setDetail} />
            )}

            {mayUse(currentUser()?.roles ?? [], ['police', 'grid_worker', 'mediator', 'department']) && <CaseMediations caseId={c.id} />}

            <h2 id="history-title">{t('case.history')}</h2>
            <table className="grid" aria-labelledby="history-title" data-testid="history">
              <thead>
                <tr>
                  <th scope="col">{t('case.time')}</th>
                  <th scope="col">{t('case.step')}</th>
                  <th scope="col">{t('case.fromTo')}</th>
                  <th scope="col">{t('case.actor')}</th>
                  <th scope="col">{t('common.note')}</th>
                </tr>
              </thead>
              <tbody>
                {c.history.map((s, i) => (
                  <tr key={i}>
                    <td className="nowrap">{formatTime(s.ts)}</td>
                    <td>{label('caseAction', s.action)}</td>
                    <td>
                      {s.from ? label('caseStatus', s.from) : ''}
                      {s.from && s.to && s.from !== s.to ? ' → ' : ''}
                      {s.to && s.to !== s.from ? label('caseStatus', s.to) : ''}
                    </td>
                    <td>{s.actor}</td>
                    <td className="text">{s.note ? localMessage(s.note, current) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Guard>
    </section>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Actions({ detail, onDone }: { detail: CaseDetail; onDone: (c: CaseDetail) => void }) {
  const [chosen, setChosen] = useState<string | null>(null);
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await post<CaseDetail>(`/api/v1/cases/${detail.id}/actions`, actionBody(chosen, values)));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="case-actions">
      <div className="buttons" role="group" aria-label={t('case.actions')}>
        {detail.allowed_actions.map((a) => (
          <button
            key={a}
            type="button"
            aria-pressed={chosen === a}
            onClick={() => {
              setChosen(a);
              setValues({});
              setError(null);
            }}
          >
            {label('caseAction', a)}
          </button>
        ))}
      </div>
      {chosen && (
        <form className="action-form" onSubmit={submit} aria-label={label('caseAction', chosen)}>
          {(actionFields[chosen] ?? []).map((f) => (
            <Field key={f.name} field={f} value={values[f.name] ?? ''} onChange={(v) => setValues({ ...values, [f.name]: v })} />
          ))}
          {error && <ErrorNote text={error} />}
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy}>
              {label('caseAction', chosen)}
            </button>
            <button type="button" onClick={() => setChosen(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function Field({ field, value, onChange }: { field: ActionField; value: string; onChange: (v: string) => void }) {
  const name = t(`case.field.${field.name === 'comment' ? 'note' : field.name}` as WordKey);
  const common = { name: field.name, required: field.required, value };
  let input;
  if (field.kind === 'level' || field.kind === 'route') {
    const options = field.kind === 'level' ? levels : routes;
    input = (
      <select {...common} onChange={(e) => onChange(e.target.value)}>
        <option value="" />
        {options.map((o) => (
          <option key={o} value={o}>
            {label(field.kind === 'level' ? 'caseLevel' : 'caseRoute', o)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'score') {
    input = <input {...common} type="number" min={1} max={5} onChange={(e) => onChange(e.target.value)} />;
  } else if (field.kind === 'number') {
    input = <input {...common} type="number" min={1} onChange={(e) => onChange(e.target.value)} />;
  } else if (field.kind === 'longtext') {
    input = <textarea {...common} rows={3} onChange={(e) => onChange(e.target.value)} />;
  } else {
    input = <input {...common} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <label>
      {name}
      {input}
    </label>
  );
}
