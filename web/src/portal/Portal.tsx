// The resident portal, built for a phone: announcements, reporting a matter and following it,
// opening doors, visitor passes, and SOS. A resident's login acts for the person it is linked to.
import { useEffect, useState } from 'react';
import { currentUser, logout, onSignedOut, type User } from '../shared/api';
import { t, useLang, type WordKey } from '../shared/i18n';
import { linkClick, useLocation } from '../shared/router';
import { LangSwitch } from '../shared/ui';
import { Login } from '../shared/Login';
import { Home } from './Home';
import { Report } from './Report';
import { MyCases, MyCase } from './MyCases';
import { Doors } from './Doors';
import { Passes } from './Passes';
import { Sos } from './Sos';

const tabs: { path: string; label: WordKey }[] = [
  { path: '/m', label: 'portal.home' },
  { path: '/m/report', label: 'portal.report' },
  { path: '/m/cases', label: 'portal.myCases' },
  { path: '/m/doors', label: 'portal.doors' },
  { path: '/m/passes', label: 'portal.passes' },
  { path: '/m/sos', label: 'portal.sos' },
];

export function Portal() {
  useLang();
  const [user, setUser] = useState<User | null>(currentUser);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => onSignedOut(() => setUser(null)), []);
  if (!user) {
    return (
      <Login
        title="app.portal"
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
  const path = useLocation().split('?')[0].replace(/\/$/, '') || '/m';
  const resident = user.roles.includes('resident') && user.person_id !== null;
  const active = [...tabs].reverse().find((tab) => path === tab.path || path.startsWith(tab.path + '/'));
  useEffect(() => {
    document.title = `${active ? t(active.label) : ''} · ${t('app.portal')}`;
  });
  const caseMatch = /^\/m\/cases\/(\d+)$/.exec(path);
  return (
    <div className="portal">
      <a className="skip" href="#main">
        {t('app.skip')}
      </a>
      <header className="bar">
        <span className="brand">{t('app.portal')}</span>
        <LangSwitch />
        <button type="button" className="quiet" onClick={onLogout}>
          {t('nav.logout')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {!resident ? (
          <p className="state">{t('portal.notResident')}</p>
        ) : caseMatch ? (
          <MyCase id={Number(caseMatch[1])} />
        ) : path === '/m/report' ? (
          <Report />
        ) : path === '/m/cases' ? (
          <MyCases />
        ) : path === '/m/doors' ? (
          <Doors />
        ) : path === '/m/passes' ? (
          <Passes />
        ) : path === '/m/sos' ? (
          <Sos />
        ) : (
          <Home />
        )}
      </main>
      {resident && (
        <nav className="tabs" aria-label={t('nav.main')}>
          {tabs.map((tab) => (
            <a
              key={tab.path}
              href={tab.path}
              className={tab.path === '/m/sos' ? 'sos-tab' : undefined}
              aria-current={active?.path === tab.path ? 'page' : undefined}
              onClick={(e) => linkClick(e, tab.path)}
            >
              {t(tab.label)}
            </a>
          ))}
        </nav>
      )}
    </div>
  );
}
