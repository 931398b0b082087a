// The console's and the portal's words in Chinese (the default) and English. The choice is kept
// in localStorage so that it survives a reload and a new sign-in.
import { useSyncExternalStore } from 'react';
import { zh } from './words_zh';
import { en } from './words_en';

export type Lang = 'zh' | 'en';
export type WordKey = keyof typeof zh;

const dictionaries: Record<Lang, Record<WordKey, string>> = { zh, en };
const storageKey = 'anju.lang';
const listeners = new Set<() => void>();

function stored(): Lang {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Lang = typeof localStorage === 'undefined' ? 'zh' : stored();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(storageKey, next);
  } catch {
    // Private browsing may refuse storage; the choice then lasts until the page is left.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((l) => l());
}

// `{name}` in a word is replaced by vars.name.
export function translate(language: Lang, key: WordKey, vars?: Record<string, string | number>): string {
  let text = dictionaries[language][key] ?? dictionaries.zh[key] ?? key;
  if (vars) {
    for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
  }
  return text;
}

export function t(key: WordKey, vars?: Record<string, string | number>): string {
  return translate(current, key, vars);
}

// A label for an API enum value (a status, role, kind): its word when there is one, else itself.
export function label(prefix: string, value: string | null | undefined): string {
  if (value == null || value === '') return '—';
  const key = `${prefix}.${value}` as WordKey;
  return key in dictionaries[current] ? dictionaries[current][key] : value;
}

// The API writes its messages as "中文 (english)": show the part in the reader's language.
export function localMessage(message: string, language: Lang): string {
  const match = /^(.*?)\s*\((.*)\)\s*$/s.exec(message);
  if (!match || !/[\u4e00-\u9fff]/.test(match[1])) return message;
  return language === 'zh' ? match[1] : match[2];
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Re-renders the component when the language changes.
export function useLang(): Lang {
  return useSyncExternalStore(subscribe, lang, lang);
}
