import { describe, expect, it } from 'vitest';
import { localMessage, translate } from './i18n';
import { zh } from './words_zh';
import { en } from './words_en';

describe('words', () => {
  it('has every Chinese word in English too, and nothing else', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    for (const [key, value] of Object.entries(en)) expect(value, key).not.toBe('');
  });

  it('fills in the named values', () => {
    expect(translate('zh', 'case.title', { id: 12 })).toBe('案件 #12');
    expect(translate('en', 'timer.left', { stage: 'Acknowledge', time: '0:42' })).toBe('Acknowledge: 0:42 left');
  });

  it('shows the API message in the reader’s language', () => {
    const message = '您的角色无权执行此操作 (your role may not do this)';
    expect(localMessage(message, 'zh')).toBe('您的角色无权执行此操作');
    expect(localMessage(message, 'en')).toBe('your role may not do this');
    expect(localMessage('登录失败次数过多，请 30 秒后再试 (too many failed sign-ins; try again in 30 s)', 'en')).toBe(
      'too many failed sign-ins; try again in 30 s',
    );
    expect(localMessage('plain text (with brackets)', 'zh')).toBe('plain text (with brackets)');
  });
});
