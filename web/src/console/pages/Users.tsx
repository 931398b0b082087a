// Users (/admin/users, admins): who may sign in, with which roles and in which region; a form to
// add one, and deactivating one (their sessions end at once) or letting them in again.
import { useState, type FormEvent } from 'react';
import { currentUser, errorText, get, post, request, type Page, type User } from '../../shared/api';
import { label, t, useLang } from '../../shared/i18n';
import { Badge, ErrorNote, Guard, useLoad } from '../../shared/ui';
import { fieldOf } from '../registry/form_errors';

interface Listed extends User {
  active: boolean;
}

interface Region {
  id: number;
  name: string;
  level: string;
}

const roles = ['police', 'security', 'grid_worker', 'mediator', 'department', 'resident', 'admin'];
const fields = ['username', 'password', 'display_name', 'roles', 'region_id'];

export function Users() {
  useLang();
  const users = useLoad(() => get<Page<Listed>>('/api/v1/users?limit=1000'), []);
  const regions = useLoad(() => get<Page<Region>>('/api/v1/regions?limit=1000'), []);
  const [draft, setDraft] = useState({ username: '', password: '', display_name: '', roles: [] as string[], region_id: '' });
  const [problem, setProblem] = useState<{ field: string | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [rowError, setRowError] = useState<string | null>(null);
  const me = currentUser()?.id;
  const setActive = async (user: Listed, active: boolean) => {
    try {
      await request('PATCH', `/api/v1/users/${user.id}`, { active });
      setRowError(null);
      users.reload();
    } catch (e) {
      setRowError(errorText(e));
    }
  };
  const regionName = (id: number | null) => (id === null ? t('users.everywhere') : (regions.data?.items.find((r) => r.id === id)?.name ?? `#${id}`));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await post('/api/v1/users', {
        username: draft.username.trim(),
        password: draft.password,
        display_name: draft.display_name.trim() || undefined,
        roles: draft.roles,
        region_id: draft.region_id ? Number(draft.region_id) : null,
      });
      setDraft({ username: '', password: '', display_name: '', roles: [], region_id: '' });
      setProblem(null);
      users.reload();
    } catch (e) {
      setProblem({ field: fieldOf(e, fields), text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const note = (field: string) =>
    problem?.field === field ? (
      <span className="field-error" role="alert">
        {problem.text}
      </span>
    ) : null;

  return (
    <section aria-labelledby="users-title">
      <div className="page-head">
        <h1 id="users-title">{t('users.title')}</h1>
      </div>
      {rowError && <ErrorNote text={rowError} />}
      <Guard state={users} empty={(d) => d.items.length === 0}>
        {(page) => (
          <table className="grid" aria-labelledby="users-title" data-testid="users">
            <thead>
              <tr>
                <th scope="col">{t('login.username')}</th>
                <th scope="col">{t('users.displayName')}</th>
                <th scope="col">{t('users.roles')}</th>
                <th scope="col">{t('users.region')}</th>
                <th scope="col">{t('field.status')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {page.items.map((u) => (
                <tr key={u.id}>
                  <td>{u.username}</td>
                  <td>{u.display_name || '—'}</td>
                  <td>{u.roles.map((r) => label('role', r)).join('、')}</td>
                  <td>{regionName(u.region_id)}</td>
                  <td>
                    <Badge tone={u.active ? 'ok' : 'muted'}>{u.active ? t('users.active') : t('users.inactive')}</Badge>
                  </td>
                  <td className="actions">
                    {u.id !== me && (
                      <button type="button" onClick={() => void setActive(u, !u.active)}>
                        {u.active ? t('users.deactivate') : t('users.activate')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Guard>
      <form className="action-form" onSubmit={submit} aria-labelledby="user-new">
        <h2 id="user-new">{t('users.new')}</h2>
        <label>
          {t('login.username')}
          <input name="username" required autoComplete="off" value={draft.username} onChange={(e) => setDraft((d) => ({ ...d, username: e.target.value }))} />
          {note('username')}
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" required autoComplete="new-password" value={draft.password} onChange={(e) => setDraft((d) => ({ ...d, password: e.target.value }))} />
          {note('password')}
        </label>
        <label>
          {t('users.displayName')}
          <input name="display_name" value={draft.display_name} onChange={(e) => setDraft((d) => ({ ...d, display_name: e.target.value }))} />
        </label>
        <fieldset className="choice">
          <legend>{t('users.roles')}</legend>
          {roles.map((r) => (
            <label key={r} className="inline">
              <input
                type="checkbox"
                checked={draft.roles.includes(r)}
                onChange={(e) => setDraft((d) => ({ ...d, roles: e.target.checked ? [...d.roles, r] : d.roles.filter((x) => x !== r) }))}
              />
              {label('role', r)}
            </label>
          ))}
        </fieldset>
        {note('roles')}
        <label>
          {t('users.region')}
          <select name="region_id" value={draft.region_id} onChange={(e) => setDraft((d) => ({ ...d, region_id: e.target.value }))}>
            <option value="">{t('users.everywhere')}</option>
            {regions.data?.items.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          {note('region_id')}
        </label>
        {problem && problem.field === null && <ErrorNote text={problem.text} />}
        <div className="buttons">
          <button type="submit" className="primary" disabled={busy}>
            {t('users.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
