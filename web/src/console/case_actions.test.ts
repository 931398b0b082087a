import { describe, expect, it } from 'vitest';
import { actionBody } from './case_actions';

describe('case action bodies', () => {
  it('sends triage with its level and route', () => {
    expect(actionBody('triage', { level: 'village', route: 'people_mediation', note: '' })).toEqual({
      action: 'triage',
      level: 'village',
      route: 'people_mediation',
    });
  });

  it('splits joint departments at Chinese and Latin commas', () => {
    expect(actionBody('assign', { lead: '住建局物业科', joint: '城管执法中队，派出所, ' })).toEqual({
      action: 'assign',
      lead: '住建局物业科',
      joint: ['城管执法中队', '派出所'],
    });
  });

  it('sends scores and case numbers as numbers', () => {
    expect(actionBody('rate', { score: '5' })).toEqual({ action: 'rate', score: 5 });
    expect(actionBody('merge', { into: '12' })).toEqual({ action: 'merge', into: 12 });
  });

  it('leaves out fields the action does not take', () => {
    expect(actionBody('accept', { summary: 'x', note: '已受理' })).toEqual({ action: 'accept', note: '已受理' });
  });
});
