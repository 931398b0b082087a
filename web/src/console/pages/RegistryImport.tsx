// CSV import into a registry list (/registry/import): the list, the file, and ImportRun's
// progress and per-row errors. Headings may be Chinese or English (see the README).
import { useState } from 'react';
import { t, useLang } from '../../shared/i18n';
import { ImportRun } from '../ImportRun';
import { registryLists } from '../registry/lists';
import { RegistryTabs } from './Registry';

export function RegistryImport() {
  useLang();
  const [list, setList] = useState('persons');
  return (
    <section aria-labelledby="import-title">
      <div className="page-head">
        <h1 id="import-title">{t('import.title')}</h1>
      </div>
      <RegistryTabs current="import" />
      <p className="note">{t('import.hint')}</p>
      <ImportRun key={list} path={`/api/v1/import/${list}`}>
        <label>
          {t('import.list')}
          <select name="list" value={list} onChange={(e) => setList(e.target.value)}>
            {registryLists.map((l) => (
              <option key={l.name} value={l.name}>
                {t(l.label)}
              </option>
            ))}
          </select>
        </label>
      </ImportRun>
    </section>
  );
}
