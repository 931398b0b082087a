// The console's frame: sign-in, then a header and the navigation the user's roles allow, and the
// page the path names.
import { useEffect, useState } from 'react';
import { currentUser, logout, onSignedOut, type User } from '../shared/api';
import { label, t, useLang } from '../shared/i18n';
import { linkClick, navigate, useLocation } from '../shared/router';
import { LangSwitch } from '../shared/ui';
import { isResidentOnly, mayOpen, navFor, pageOf } from './navigation';
import { Login } from '../shared/Login';
import { Dashboard } from './pages/Dashboard';
import { Alerts } from './pages/Alerts';
import { Incidents } from './pages/Incidents';
import { Cases } from './pages/Cases';
import { MediationPage, Mediations } from './pages/Mediations';
import { CaseStats } from './pages/CaseStats';
import { CasePage } from './pages/CasePage';
import { IncidentPage } from './pages/IncidentPage';
import { NewCase } from './pages/NewCase';
import { Registry } from './pages/Registry';
import { RecordForm } from './pages/RecordForm';
import { RegistryImport } from './pages/RegistryImport';
import { SitePlan } from './pages/SitePlan';
import { Trajectory } from './pages/Trajectory';
import { Audit } from './pages/Audit';
import { FaceSearch } from './pages/FaceSearch';
import { Rules } from './pages/Rules';
import { Retention } from './pages/Retention';
import { Users } from './pages/Users';
import { WatchlistPage, Watchlists } from './pages/Watchlists';
import { mayEdit, recordKind } from './registry/forms';
import { registryList, registryLists } from './registry/lists';

export function App() {
  useLang();
  const [user, setUser] = useState<User | null>(currentUser);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(
    () =>
      onSignedOut(() => {
        setUser(null);
        setNotice(currentUser() === null ? t('error.session') : null);
      }),
    [],
  );

  if (!user) {
    return (
      <Login
        notice={notice}
        onSignedIn={(u) => {
          setNotice(null);
          setUser(u);
        }}
      />
    );
  }
  return <Shell user={user} onLogout={() => void logout().then(() => setNotice(null))} />;
}

function Shell({ user, onLogout }: { user: User; onLogout: () => void }) {
  const path = useLocation();
  const nav = navFor(user.roles, user.region_id);
  const page = pageOf(path);
  const allowed = page !== undefined && mayOpen(page, user.roles, user.region_id);

  useEffect(() => {
    // A role without the overview lands on its first page instead.
    if (path === '/' && !allowed && nav.length > 0) navigate(nav[0].path, true);
  }, [path, allowed, nav]);

  useEffect(() => {
    document.title = `${page ? t(page.label) : ''} · ${t('app.console')}`;
  });

  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="top">
        <span className="brand">{t('app.console')}</span>
        <span className="who">
          {user.display_name || user.username}
          <span className="roles"> · {user.roles.map((r) => label('role', r)).join('、')}</span>
        </span>
        <LangSwitch />
        <button type="button" className="quiet" onClick={onLogout}>
          {t('nav.logout')}
        </button>
      </header>
      <nav className="side" aria-label={t('nav.main')}>
        <ul>
          {nav.map((item) => (
            <li key={item.path}>
              <a
                href={item.path}
                aria-current={page?.path === item.path ? 'page' : undefined}
                onClick={(e) => linkClick(e, item.path)}
              >
                {t(item.label)}
              </a>
            </li>
          ))}
          {user.roles.includes('resident') && (
            <li>
              <a href="/m">{t('nav.portal')}</a>
            </li>
          )}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {isResidentOnly(user.roles) ? (
          <p className="state">
            <a href="/m">{t('nav.portal')}</a>
          </p>
        ) : !page ? (
          <p className="state">{t('nav.notFound')}</p>
        ) : allowed ? (
          <Page path={path} />
        ) : (
          <p className="state">{t('nav.noAccess')}</p>
        )}
      </main>
    </div>
  );
}

function Page({ path }: { path: string }) {
  const clean = path.split('?')[0];
  if (clean === '/cases/new') return <NewCase />;
  const caseMatch = /^\/cases\/(\d+)$/.exec(clean);
  if (caseMatch) return <CasePage id={Number(caseMatch[1])} />;
  const mediationMatch = /^\/mediation\/(\d+)$/.exec(clean);
  if (mediationMatch) return <MediationPage key={mediationMatch[1]} id={Number(mediationMatch[1])} />;
  const incidentMatch = /^\/incidents\/(\d+)$/.exec(clean);
  if (incidentMatch) return <IncidentPage id={Number(incidentMatch[1])} />;
  // The registry opens on its first list.
  if (clean === '/registry') return <Registry key={registryLists[0].name} list={registryLists[0]} />;
  if (clean === '/registry/import') return <RegistryImport />;
  const recordMatch = /^\/registry\/([a-z_]+)\/([^/]+)$/.exec(clean);
  const kind = recordMatch ? recordKind(recordMatch[1]) : undefined;
  if (recordMatch && kind) {
    if (!mayEdit(kind, currentUser()?.roles ?? [])) return <p className="state">{t('nav.noAccess')}</p>;
    const id = recordMatch[2] === 'new' ? null : decodeURIComponent(recordMatch[2]);
    return <RecordForm key={clean} kind={kind} id={id} />;
  }
  const listMatch = /^\/registry\/([a-z_]+)$/.exec(clean);
  const list = listMatch ? registryList(listMatch[1]) : undefined;
  if (list) return <Registry key={list.name} list={list} />;
  const watchlistMatch = /^\/alerts\/watchlists\/(\d+)$/.exec(clean);
  if (watchlistMatch) return <WatchlistPage id={Number(watchlistMatch[1])} />;
  switch (clean) {
    case '/alerts/rules':
      return <Rules />;
    case '/alerts/watchlists':
      return <Watchlists />;
    case '/plan':
      return <SitePlan />;
    case '/trajectory':
      return <Trajectory />;
    case '/faces':
      return <FaceSearch />;
    case '/admin/users':
      return <Users />;
    case '/admin/audit':
      return <Audit />;
    case '/admin/retention':
      return <Retention />;
    case '/':
      return <Dashboard />;
    case '/alerts':
      return <Alerts />;
    case '/incidents':
      return <Incidents />;
    case '/cases':
      return <Cases />;
    case '/mediation':
      return <Mediations />;
    case '/stats/cases':
      return <CaseStats />;
    default:
      return <p className="state">{t('nav.notFound')}</p>;
  }
}
