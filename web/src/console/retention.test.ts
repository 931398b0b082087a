import { describe, expect, it } from 'vitest';
import { backToConfig, changedDays, changeLines, daysProblem, draftOf, type RetentionPlan } from './retention';

const plan = {
  settings: { captures: 30, events: 180, snapshots: 90, audit: 0 },
  sources: { captures: 'config', events: 'config', snapshots: 'config', audit: 'config' },
  config: { captures: 30, events: 180, snapshots: 90, audit: 0 },
  changed: {},
  at: '2026-12-01T12:00:00.000+08:00',
  captures: { days: 30, count: 0 },
  events: { days: 180, count: 0 },
  snapshots: { days: 90, count: 0 },
  audit: { days: 0, count: 0 },
} as RetentionPlan;

describe('daysProblem', () => {
  it('takes whole days from 0 to 3650', () => {
    expect(daysProblem('events', '0')).toBeNull();
    expect(daysProblem('events', ' 90 ')).toBeNull();
    expect(daysProblem('events', '3650')).toBeNull();
    expect(daysProblem('events', '3651')).toBe('retention.tooLong');
  });
  it('refuses what is not a whole number of days', () => {
    for (const text of ['', '1.5', '-3', 'abc', '9e3']) expect(daysProblem('events', text)).toBe('retention.wholeDays');
  });
  it('keeps audit records at least 180 days, or forever', () => {
    expect(daysProblem('audit', '90')).toBe('retention.auditMinimum');
    expect(daysProblem('audit', '180')).toBeNull();
    expect(daysProblem('audit', '0')).toBeNull();
    expect(daysProblem('captures', '90')).toBeNull();
  });
});

describe('changedDays', () => {
  it('names only the periods that differ from those in force', () => {
    const draft = { ...draftOf(plan), events: '90', captures: '30' };
    expect(changedDays(plan, draft)).toEqual({ events: 90 });
  });
  it('leaves out periods that would be refused', () => {
    expect(changedDays(plan, { ...draftOf(plan), audit: '30' })).toEqual({});
  });
});

describe('back to the configuration file', () => {
  const set = {
    ...plan,
    settings: { ...plan.settings, events: 200 },
    sources: { ...plan.sources, events: 'settings' },
    config: { ...plan.config, events: 365 },
  } as RetentionPlan;

  it('sends null for the kind and previews it with the file’s period', () => {
    expect(backToConfig(set, 'events')).toEqual({ body: { events: null }, preview: { events: 365 } });
  });

  it('lists the change from the period in force to the file’s', () => {
    expect(changeLines(set, backToConfig(set, 'events'))).toEqual([{ kind: 'events', from: 200, to: 365, config: true }]);
  });

  it('lists edited periods as typed, in the order of the kinds', () => {
    const days = changedDays(set, { ...draftOf(set), snapshots: '30', captures: '7' });
    expect(changeLines(set, { body: days, preview: days })).toEqual([
      { kind: 'captures', from: 30, to: 7, config: false },
      { kind: 'snapshots', from: 90, to: 30, config: false },
    ]);
  });
});
