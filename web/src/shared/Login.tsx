import { useState, type FormEvent } from 'react';
import { errorText, login, type User } from './api';
import { t, useLang } from './i18n';
import { LangSwitch } from './ui';

export function Login({ notice, onSignedIn, title = 'app.console' }: { notice: string | null; onSignedIn: (user: User) => void; title?: 'app.console' | 'app.portal' }) {
  useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await login(username.trim(), password));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login" id="main">
      <form onSubmit={submit} className="card" aria-labelledby="login-title">
        <div className="login-head">
          <h1 id="login-title">{t(title)}</h1>
          <LangSwitch />
        </div>
        <h2>{t('login.title')}</h2>
        {notice && <p className="notice" role="status">{notice}</p>}
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
