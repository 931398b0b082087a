import { describe, expect, it } from 'vitest';
import { draftOf, ruleBody, type Rule } from './rule_form';

describe('the rule form', () => {
  it('starts a new rule with its kind’s default parameters and no schedule', () => {
    const d = draftOf(null, 'key_persons_together');
    expect(JSON.parse(d.params)).toEqual({ tags: ['key_person'], min_persons: 2, minutes: 10 });
    expect(ruleBody({ ...d, name: ' 聚集 ' })).toEqual({
      body: { name: '聚集', kind: 'key_persons_together', params: { tags: ['key_person'], min_persons: 2, minutes: 10 }, level: 'normal', enabled: true, schedule: null },
    });
  });

  it('sends a night window on chosen days, in day order', () => {
    const d = { ...draftOf(null), name: '夜间', days: [5, 1], from: '22:00', to: '06:00' };
    expect(ruleBody(d)).toMatchObject({ body: { schedule: { days: [1, 5], from: '22:00', to: '06:00' } } });
  });

  it('names params when they are not a JSON object', () => {
    expect(ruleBody({ ...draftOf(null), params: '{hours: 3' })).toEqual({ field: 'params' });
    expect(ruleBody({ ...draftOf(null), params: '[1]' })).toEqual({ field: 'params' });
  });

  it('edits a stored rule as it is', () => {
    const rule: Rule = { id: 3, name: '独居', kind: 'elderly_no_passage', params: { hours: 48 }, level: 'high', enabled: false, schedule: { days: [1], from: '08:00', to: '20:00' } };
    expect(ruleBody(draftOf(rule))).toEqual({
      body: { name: '独居', kind: 'elderly_no_passage', params: { hours: 48 }, level: 'high', enabled: false, schedule: { days: [1], from: '08:00', to: '20:00' } },
    });
  });
});
