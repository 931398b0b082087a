import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { lang } from '../shared/i18n';
import { App } from './App';
import './console.css';

document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
