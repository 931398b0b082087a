import { get, type Page } from '../shared/api';
import { label, t, useLang } from '../shared/i18n';
import { linkClick } from '../shared/router';
import { formatTime } from '../shared/time';
import { Empty, Guard, useLoad } from '../shared/ui';

interface Announcement {
  id: number;
  title: string;
  body: string | null;
  category: string;
  valid_from: string | null;
  created_at?: string;
}

export function Home() {
  useLang();
  const news = useLoad(() => get<Page<Announcement>>('/api/v1/portal/announcements'), []);
  return (
    <>
      <div className="quick">
        <a href="/m/report" onClick={(e) => linkClick(e, '/m/report')}>
          {t('portal.report')}
        </a>
        <a href="/m/doors" onClick={(e) => linkClick(e, '/m/doors')}>
          {t('portal.doors')}
        </a>
        <a href="/m/passes" onClick={(e) => linkClick(e, '/m/passes')}>
          {t('portal.passes')}
        </a>
        <a href="/m/sos" className="sos-link" onClick={(e) => linkClick(e, '/m/sos')}>
          {t('portal.sos')}
        </a>
      </div>
      <h1>{t('portal.news')}</h1>
      <Guard state={news}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty text={t('portal.noNews')} />
          ) : (
            <ul className="cards">
              {page.items.map((a) => (
                <li key={a.id} className="card">
                  <span className="tag">{label('newsKind', a.category)}</span>
                  <h2>{a.title}</h2>
                  {a.body && <p>{a.body}</p>}
                  <p className="meta">{formatTime(a.valid_from ?? a.created_at)}</p>
                </li>
              ))}
            </ul>
          )
        }
      </Guard>
    </>
  );
}
