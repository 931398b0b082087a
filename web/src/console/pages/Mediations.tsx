// Mediation records (调解记录): the list of records of cases in the user's region, and a record's
// page with its parties, sessions, outcome and judicial confirmation (司法确认). Mediators and
// admins write; the other readers see phones masked, as the API gives them.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { currentUser, errorText, get, post, query, type Page } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { linkClick, navigate, useLocation } from '../../shared/router';
import { formatTime, zoneTimestamp } from '../../shared/time';
import { Badge, Empty, ErrorNote, Guard, Loading, useLoad } from '../../shared/ui';
import { mayUse } from '../navigation';

interface Party {
  name: string;
  role: string;
  phone: string | null;
}

interface Session {
  id: number;
  held_at: string;
  place: string | null;
  notes: string | null;
  recorded_by: string;
}

interface Confirmation {
  status: string;
  court: string | null;
  reference: string | null;
  reason: string | null;
  requested_at: string | null;
  decided_at: string | null;
}

export interface Mediation {
  id: number;
  case_id: number;
  kind: string;
  mediator: string;
  status: string;
  outcome: string | null;
  agreement: string | null;
  concluded_at: string | null;
  concluded_by: string | null;
  parties: Party[];
  confirmation: Confirmation;
  sessions?: Session[];
  created_at: string;
}

const statuses = ['open', 'agreed', 'failed', 'withdrawn'];
const statusTone: Record<string, string> = { open: 'info', agreed: 'ok', failed: 'bad', withdrawn: 'muted' };
const confirmationTone: Record<string, string> = { none: 'muted', requested: 'warn', granted: 'ok', refused: 'bad' };

const mayWrite = () => mayUse(currentUser()?.roles ?? [], ['mediator']);

export function Mediations() {
  useLang();
  const params = new URLSearchParams(useLocation().split('?')[1] ?? '');
  const status = params.get('status') ?? '';
  const [items, setItems] = useState<Mediation[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (cursor: string | null) => {
    setLoading(true);
    try {
      const page = await get<Page<Mediation>>(`/api/v1/mediations${query({ status, cursor, limit: 100 })}`);
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setItems(null);
    void load(null);
  }, [status]);

  return (
    <section aria-labelledby="mediations-title">
      <div className="page-head">
        <h1 id="mediations-title">{t('mediation.title')}</h1>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('mediation.status')}
          <select name="status" value={status} onChange={(e) => navigate(`/mediation${query({ status: e.target.value })}`, true)}>
            <option value="">{t('common.all')}</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {label('mediationStatus', s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && <ErrorNote text={error} retry={() => void load(null)} />}
      {items === null ? (
        !error && <Loading />
      ) : items.length === 0 ? (
        <Empty text={t('mediation.none')} />
      ) : (
        <>
          <table className="grid" aria-labelledby="mediations-title" data-testid="mediations">
            <thead>
              <tr>
                <th scope="col">{t('mediation.id')}</th>
                <th scope="col">{t('mediation.case')}</th>
                <th scope="col">{t('mediation.kind')}</th>
                <th scope="col">{t('mediation.parties')}</th>
                <th scope="col">{t('mediation.mediator')}</th>
                <th scope="col">{t('mediation.status')}</th>
                <th scope="col">{t('mediation.confirmation')}</th>
                <th scope="col">{t('mediation.created')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <td className="nowrap">
                    <a href={`/mediation/${m.id}`} onClick={(e) => linkClick(e, `/mediation/${m.id}`)}>
                      {t('mediation.record', { id: m.id })}
                    </a>
                  </td>
                  <td>
                    <a href={`/cases/${m.case_id}`} onClick={(e) => linkClick(e, `/cases/${m.case_id}`)}>
                      #{m.case_id}
                    </a>
                  </td>
                  <td>{label('mediationKind', m.kind)}</td>
                  <td className="text">{m.parties.map((p) => p.name).join('、')}</td>
                  <td>{m.mediator}</td>
                  <td>
                    <Badge tone={statusTone[m.status] ?? 'muted'}>{label('mediationStatus', m.status)}</Badge>
                  </td>
                  <td>
                    <Badge tone={confirmationTone[m.confirmation.status] ?? 'muted'}>{label('confirmationStatus', m.confirmation.status)}</Badge>
                  </td>
                  <td className="nowrap">{formatTime(m.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {next && (
            <button type="button" className="more" disabled={loading} onClick={() => void load(next)}>
              {loading ? t('common.loading') : t('common.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}

export function MediationPage({ id }: { id: number }) {
  useLang();
  const state = useLoad(() => get<Mediation>(`/api/v1/mediations/${id}`), [id]);
  const [record, setRecord] = useState<Mediation | null>(null);
  const writer = mayWrite();
  return (
    <section aria-labelledby="mediation-title">
      <p>
        <a href="/mediation" onClick={(e) => linkClick(e, '/mediation')}>
          ← {t('common.back')}
        </a>
      </p>
      <Guard state={{ ...state, data: record ?? state.data }}>
        {(m) => (
          <>
            <div className="page-head">
              <h1 id="mediation-title">{t('mediation.record', { id: m.id })}</h1>
              <Badge tone={statusTone[m.status] ?? 'muted'}>{label('mediationStatus', m.status)}</Badge>
            </div>
            <dl className="facts">
              <Fact name={t('mediation.case')}>
                <a href={`/cases/${m.case_id}`} onClick={(e) => linkClick(e, `/cases/${m.case_id}`)}>
                  #{m.case_id}
                </a>
              </Fact>
              <Fact name={t('mediation.kind')}>{label('mediationKind', m.kind)}</Fact>
              <Fact name={t('mediation.mediator')}>{m.mediator}</Fact>
              <Fact name={t('mediation.created')}>{formatTime(m.created_at)}</Fact>
            </dl>

            <h2 id="parties-title">{t('mediation.parties')}</h2>
            <table className="grid" aria-labelledby="parties-title">
              <thead>
                <tr>
                  <th scope="col">{t('mediation.partyName')}</th>
                  <th scope="col">{t('mediation.partyRole')}</th>
                  <th scope="col">{t('mediation.partyPhone')}</th>
                </tr>
              </thead>
              <tbody>
                {m.parties.map((p, i) => (
                  <tr key={i}>
                    <td>{p.name}</td>
                    <td>{label('partyRole', p.role)}</td>
                    <td>{p.phone ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>

            <h2 id="sessions-title">{t('mediation.sessions')}</h2>
            {(m.sessions ?? []).length === 0 ? (
              <Empty text={t('mediation.noSessions')} />
            ) : (
              <table className="grid" aria-labelledby="sessions-title" data-testid="sessions">
                <thead>
                  <tr>
                    <th scope="col">{t('mediation.heldAt')}</th>
                    <th scope="col">{t('mediation.place')}</th>
                    <th scope="col">{t('mediation.notes')}</th>
                    <th scope="col">{t('mediation.recordedBy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(m.sessions ?? []).map((s) => (
                    <tr key={s.id}>
                      <td className="nowrap">{formatTime(s.held_at)}</td>
                      <td>{s.place ?? '—'}</td>
                      <td className="text">{s.notes ?? ''}</td>
                      <td>{s.recorded_by}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {writer && m.status === 'open' && <SessionForm id={m.id} onDone={setRecord} />}

            <h2>{t('mediation.outcome')}</h2>
            {m.status === 'open' ? (
              writer ? <OutcomeForm id={m.id} onDone={setRecord} /> : <p className="state">{t('mediation.noOutcome')}</p>
            ) : (
              <dl className="facts">
                <Fact name={t('mediation.outcome')}>{label('mediationStatus', m.outcome ?? m.status)}</Fact>
                <Fact name={t('mediation.concluded')}>
                  {formatTime(m.concluded_at)} {m.concluded_by ?? ''}
                </Fact>
                {m.agreement && <Fact name={t('mediation.agreement')}>{m.agreement}</Fact>}
              </dl>
            )}

            <h2>{t('mediation.confirmation')}</h2>
            <dl className="facts">
              <Fact name={t('mediation.status')}>
                <Badge tone={confirmationTone[m.confirmation.status] ?? 'muted'}>{label('confirmationStatus', m.confirmation.status)}</Badge>
              </Fact>
              {m.confirmation.court && <Fact name={t('mediation.court')}>{m.confirmation.court}</Fact>}
              {m.confirmation.requested_at && <Fact name={t('mediation.requestedAt')}>{formatTime(m.confirmation.requested_at)}</Fact>}
              {m.confirmation.reference && <Fact name={t('mediation.reference')}>{m.confirmation.reference}</Fact>}
              {m.confirmation.reason && <Fact name={t('mediation.reason')}>{m.confirmation.reason}</Fact>}
              {m.confirmation.decided_at && <Fact name={t('mediation.decidedAt')}>{formatTime(m.confirmation.decided_at)}</Fact>}
            </dl>
            {writer && <ConfirmationForm record={m} onDone={setRecord} />}
          </>
        )}
      </Guard>
    </section>
  );
}

function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}

// A form that posts to the record and hands back the record the API answers.
function useSend(onDone: (m: Mediation) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async (path: string, body: Record<string, unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      onDone(await post<Mediation>(path, body));
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, send };
}

// Now in the estates' zone, as a datetime-local value.
function nowLocal(): string {
  return formatTime(new Date().toISOString()).replace(' ', 'T');
}

function SessionForm({ id, onDone }: { id: number; onDone: (m: Mediation) => void }) {
  const [form, setForm] = useState({ held_at: nowLocal(), place: '', notes: '' });
  const { busy, error, send } = useSend(onDone);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = { held_at: zoneTimestamp(form.held_at) };
    if (form.place.trim()) body.place = form.place.trim();
    if (form.notes.trim()) body.notes = form.notes.trim();
    if (await send(`/api/v1/mediations/${id}/sessions`, body)) setForm({ held_at: nowLocal(), place: '', notes: '' });
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('mediation.addSession')}>
      <label>
        {t('mediation.heldAt')}
        <input type="datetime-local" required value={form.held_at} onChange={(e) => setForm({ ...form, held_at: e.target.value })} />
      </label>
      <label>
        {t('mediation.place')}
        <input value={form.place} onChange={(e) => setForm({ ...form, place: e.target.value })} />
      </label>
      <label>
        {t('mediation.notes')}
        <textarea rows={3} value={form.notes} onChange={(e) => setForm({ ...form, notes: e.target.value })} />
      </label>
      {error && <ErrorNote text={error} />}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {t('mediation.addSession')}
        </button>
      </div>
    </form>
  );
}

function OutcomeForm({ id, onDone }: { id: number; onDone: (m: Mediation) => void }) {
  const [outcome, setOutcome] = useState('');
  const [agreement, setAgreement] = useState('');
  const { busy, error, send } = useSend(onDone);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = { outcome };
    if (outcome === 'agreed') body.agreement = agreement.trim();
    void send(`/api/v1/mediations/${id}/outcome`, body);
  };
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('mediation.recordOutcome')}>
      <label>
        {t('mediation.outcome')}
        <select required value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          <option value="" />
          {statuses
            .filter((s) => s !== 'open')
            .map((s) => (
              <option key={s} value={s}>
                {label('mediationStatus', s)}
              </option>
            ))}
        </select>
      </label>
      {outcome === 'agreed' && (
        <label>
          {t('mediation.agreement')}
          <textarea rows={3} required value={agreement} onChange={(e) => setAgreement(e.target.value)} />
        </label>
      )}
      {error && <ErrorNote text={error} />}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {t('mediation.recordOutcome')}
        </button>
      </div>
    </form>
  );
}

// The steps of judicial confirmation the API allows next: apply to a court after an agreement,
// then the court's grant or refusal.
function ConfirmationForm({ record, onDone }: { record: Mediation; onDone: (m: Mediation) => void }) {
  const [text, setText] = useState('');
  const [action, setAction] = useState<'grant' | 'refuse'>('grant');
  const { busy, error, send } = useSend(onDone);
  const path = `/api/v1/mediations/${record.id}/confirmation`;
  if (record.status === 'agreed' && record.confirmation.status === 'none') {
    return (
      <form
        className="action-form"
        aria-label={t('mediation.requestConfirmation')}
        onSubmit={(e) => {
          e.preventDefault();
          void send(path, { action: 'request', court: text.trim() });
        }}
      >
        <label>
          {t('mediation.court')}
          <input required value={text} onChange={(e) => setText(e.target.value)} />
        </label>
        {error && <ErrorNote text={error} />}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('mediation.requestConfirmation')}
          </button>
        </div>
      </form>
    );
  }
  if (record.confirmation.status !== 'requested') return null;
  return (
    <form
      className="action-form"
      aria-label={t('mediation.courtAnswer')}
      onSubmit={(e) => {
        e.preventDefault();
        void send(path, action === 'grant' ? { action, reference: text.trim() } : { action, reason: text.trim() });
      }}
    >
      <label>
        {t('mediation.courtAnswer')}
        <select value={action} onChange={(e) => setAction(e.target.value as 'grant' | 'refuse')}>
          <option value="grant">{t('mediation.grant')}</option>
          <option value="refuse">{t('mediation.refuse')}</option>
        </select>
      </label>
      <label>
        {action === 'grant' ? t('mediation.reference') : t('mediation.reason')}
        <input required value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {error && <ErrorNote text={error} />}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {t('mediation.recordAnswer')}
        </button>
      </div>
    </form>
  );
}

const emptyParty = (role: string): Party => ({ name: '', role, phone: '' });

// A case's mediation records, and for mediators and admins a form to open one (POST
// /api/v1/cases/{id}/mediations); without a kind the case's triage route decides it.
export function CaseMediations({ caseId }: { caseId: number }) {
  useLang();
  const records = useLoad(() => get<Page<Mediation>>(`/api/v1/mediations${query({ case_id: caseId, limit: 100 })}`), [caseId]);
  const [open, setOpen] = useState(false);
  const [mediator, setMediator] = useState(currentUser()?.display_name ?? '');
  const [kind, setKind] = useState('');
  const [parties, setParties] = useState<Party[]>([emptyParty('applicant'), emptyParty('respondent')]);
  const { busy, error, send } = useSend((m) => navigate(`/mediation/${m.id}`));
  const setParty = (i: number, change: Partial<Party>) => setParties(parties.map((p, j) => (j === i ? { ...p, ...change } : p)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = {
      mediator: mediator.trim(),
      parties: parties.map((p) => (p.phone?.trim() ? { name: p.name.trim(), role: p.role, phone: p.phone.trim() } : { name: p.name.trim(), role: p.role })),
    };
    if (kind) body.kind = kind;
    void send(`/api/v1/cases/${caseId}/mediations`, body);
  };

  return (
    <>
      <h2 id="case-mediations-title">{t('mediation.title')}</h2>
      <Guard state={records}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="state">{t('mediation.none')}</p>
          ) : (
            <ul aria-labelledby="case-mediations-title">
              {page.items.map((m) => (
                <li key={m.id}>
                  <a href={`/mediation/${m.id}`} onClick={(e) => linkClick(e, `/mediation/${m.id}`)}>
                    {t('mediation.record', { id: m.id })}
                  </a>{' '}
                  {label('mediationKind', m.kind)} · {m.parties.map((p) => p.name).join('、')}{' '}
                  <Badge tone={statusTone[m.status] ?? 'muted'}>{label('mediationStatus', m.status)}</Badge>
                </li>
              ))}
            </ul>
          )
        }
      </Guard>
      {mayWrite() &&
        (open ? (
          <form className="action-form wide" onSubmit={submit} aria-label={t('mediation.start')}>
            <div className="row">
              <label>
                {t('mediation.mediator')}
                <input required value={mediator} onChange={(e) => setMediator(e.target.value)} />
              </label>
              <label>
                {t('mediation.kind')}
                <select value={kind} onChange={(e) => setKind(e.target.value)}>
                  <option value="">{t('mediation.kindByRoute')}</option>
                  {['people', 'administrative', 'court'].map((k) => (
                    <option key={k} value={k}>
                      {label('mediationKind', k)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {parties.map((p, i) => (
              <fieldset key={i} className="row">
                <legend>{t('mediation.party', { n: i + 1 })}</legend>
                <label>
                  {t('mediation.partyName')}
                  <input required value={p.name} onChange={(e) => setParty(i, { name: e.target.value })} />
                </label>
                <label>
                  {t('mediation.partyRole')}
                  <select value={p.role} onChange={(e) => setParty(i, { role: e.target.value })}>
                    {['applicant', 'respondent', 'other'].map((r) => (
                      <option key={r} value={r}>
                        {label('partyRole', r)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('mediation.partyPhoneOptional')}
                  <input type="tel" value={p.phone ?? ''} onChange={(e) => setParty(i, { phone: e.target.value })} />
                </label>
                {parties.length > 1 && (
                  <button type="button" className="quiet" onClick={() => setParties(parties.filter((_, j) => j !== i))}>
                    {t('mediation.removeParty', { n: i + 1 })}
                  </button>
                )}
              </fieldset>
            ))}
            <div className="buttons">
              <button type="button" onClick={() => setParties([...parties, emptyParty('other')])}>
                {t('mediation.addParty')}
              </button>
            </div>
            {error && <ErrorNote text={error} />}
            <div className="buttons">
              <button type="submit" className="primary" disabled={busy}>
                {t('mediation.start')}
              </button>
              <button type="button" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        ) : (
          <button type="button" onClick={() => setOpen(true)}>
            {t('mediation.start')}
          </button>
        ))}
    </>
  );
}
