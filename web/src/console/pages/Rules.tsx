// Alert rules (/alerts/rules): the list with each rule switched on or off in place, and a form to
// add one or change one; the API's refusal is shown beside the field it names (params.hours ->
// the parameters).
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { errorText, get, post, request } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { Badge, ErrorNote, Guard, useLoad } from '../../shared/ui';
import { fieldOf } from '../registry/form_errors';
import { draftOf, ruleBody, ruleDefaults, type Rule, type RuleDraft } from '../rule_form';

const levels = ['low', 'normal', 'high', 'critical'];
const weekdays = [1, 2, 3, 4, 5, 6, 7];
const fields = ['name', 'kind', 'params', 'level', 'schedule', 'enabled'];

export function Rules() {
  useLang();
  const rules = useLoad(() => get<{ items: Rule[]; kinds: string[] }>('/api/v1/alert-rules?limit=200'), []);
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);

  const toggle = async (rule: Rule) => {
    try {
      await request('PATCH', `/api/v1/alert-rules/${rule.id}`, { enabled: !rule.enabled });
      setRowError(null);
      rules.reload();
    } catch (e) {
      setRowError(errorText(e));
    }
  };

  return (
    <section aria-labelledby="rules-title">
      <div className="page-head">
        <h1 id="rules-title">{t('rules.title')}</h1>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          {t('rules.new')}
        </button>
      </div>
      {rowError && <ErrorNote text={rowError} />}
      <Guard state={rules} empty={(d) => d.items.length === 0}>
        {(data) => (
          <table className="grid" aria-labelledby="rules-title" data-testid="rules">
            <thead>
              <tr>
                <th scope="col">{t('field.name')}</th>
                <th scope="col">{t('rules.kind')}</th>
                <th scope="col">{t('rules.params')}</th>
                <th scope="col">{t('alerts.level')}</th>
                <th scope="col">{t('rules.schedule')}</th>
                <th scope="col">{t('rules.enabled')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <tr key={r.id} data-rule-id={r.id}>
                  <td>{r.name}</td>
                  <td>{label('ruleKind', r.kind)}</td>
                  <td className="text">
                    <code>{JSON.stringify(r.params)}</code>
                  </td>
                  <td>{label('level', r.level)}</td>
                  <td>{r.schedule ? `${r.schedule.days.map((d) => label('weekday', String(d))).join('')} ${r.schedule.from}–${r.schedule.to}` : t('rules.always')}</td>
                  <td>
                    <Badge tone={r.enabled ? 'ok' : 'muted'}>{r.enabled ? t('rules.on') : t('rules.off')}</Badge>
                  </td>
                  <td className="actions">
                    <button type="button" onClick={() => void toggle(r)}>
                      {r.enabled ? t('rules.disable') : t('rules.enable')}
                    </button>
                    <button type="button" onClick={() => setEditing(r)}>
                      {t('rules.edit')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Guard>
      {editing && (
        <RuleForm
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          kinds={rules.data?.kinds ?? Object.keys(ruleDefaults)}
          onSaved={() => {
            setEditing(null);
            rules.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </section>
  );
}

function RuleForm({ rule, kinds, onSaved, onCancel }: { rule: Rule | null; kinds: string[]; onSaved: () => void; onCancel: () => void }) {
  const [draft, setDraft] = useState<RuleDraft>(() => draftOf(rule));
  const [problem, setProblem] = useState<{ field: string | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof RuleDraft) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    setDraft((d) => ({ ...d, [name]: e.target.value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = ruleBody(draft);
    if ('field' in built) {
      setProblem({ field: built.field, text: t('rules.badParams') });
      return;
    }
    setBusy(true);
    try {
      if (rule) await request('PATCH', `/api/v1/alert-rules/${rule.id}`, built.body);
      else await post('/api/v1/alert-rules', built.body);
      onSaved();
    } catch (e) {
      setProblem({ field: fieldOf(e, fields), text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const note = (field: string) =>
    problem?.field === field ? (
      <span className="field-error" id={`rule-${field}-error`} role="alert">
        {problem.text}
      </span>
    ) : null;

  return (
    <form className="action-form" onSubmit={submit} aria-label={rule ? t('rules.editing', { name: rule.name }) : t('rules.new')}>
      <h2>{rule ? t('rules.editing', { name: rule.name }) : t('rules.new')}</h2>
      <label>
        {t('field.name')}
        <input name="name" required autoFocus value={draft.name} onChange={set('name')} />
        {note('name')}
      </label>
      <label>
        {t('rules.kind')}
        <select
          name="kind"
          value={draft.kind}
          disabled={rule !== null}
          onChange={(e) => setDraft((d) => ({ ...d, kind: e.target.value, params: JSON.stringify(ruleDefaults[e.target.value] ?? {}) }))}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {label('ruleKind', k)}
            </option>
          ))}
        </select>
        {note('kind')}
      </label>
      <label>
        {t('rules.params')}
        <textarea name="params" rows={2} value={draft.params} onChange={set('params')} aria-invalid={problem?.field === 'params' || undefined} />
        {note('params')}
      </label>
      <label>
        {t('alerts.level')}
        <select name="level" value={draft.level} onChange={set('level')}>
          {levels.map((l) => (
            <option key={l} value={l}>
              {label('level', l)}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="choice">
        <legend>{t('rules.schedule')}</legend>
        {weekdays.map((d) => (
          <label key={d} className="inline">
            <input
              type="checkbox"
              checked={draft.days.includes(d)}
              onChange={(e) => setDraft((x) => ({ ...x, days: e.target.checked ? [...x.days, d] : x.days.filter((y) => y !== d) }))}
            />
            {label('weekday', String(d))}
          </label>
        ))}
        <label className="inline">
          {t('common.from')}
          <input name="schedule_from" type="time" value={draft.from} onChange={set('from')} />
        </label>
        <label className="inline">
          {t('common.to')}
          <input name="schedule_to" type="time" value={draft.to} onChange={set('to')} />
        </label>
      </fieldset>
      {note('schedule')}
      <label className="inline">
        <input name="enabled" type="checkbox" checked={draft.enabled} onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))} />
        {t('rules.enabled')}
      </label>
      {problem && problem.field === null && <ErrorNote text={problem.text} />}
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
