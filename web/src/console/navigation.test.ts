import { describe, expect, it } from 'vitest';
import { isResidentOnly, navFor, pageOf } from './navigation';

const paths = (roles: string[]) => navFor(roles).map((p) => p.path);

describe('navigation by role', () => {
  it('gives an admin every page', () => {
    expect(paths(['admin'])).toEqual(['/', '/plan', '/alerts', '/alerts/rules', '/alerts/watchlists', '/incidents', '/cases', '/mediation', '/stats/cases', '/registry', '/trajectory', '/faces', '/admin/users', '/admin/audit', '/admin/retention']);
  });

  it('keeps installation-wide settings from the admin of a region', () => {
    expect(navFor(['admin'], 7).map((p) => p.path)).not.toContain('/admin/retention');
    expect(navFor(['admin'], 7).map((p) => p.path)).toContain('/admin/users');
  });

  it('gives a mediator the overview and the cases, not the alarms', () => {
    expect(paths(['mediator'])).toEqual(['/', '/cases', '/mediation', '/stats/cases', '/registry']);
  });

  it('gives security staff alerts and incidents but not the citizens cases', () => {
    expect(paths(['security'])).toEqual(['/', '/plan', '/alerts', '/incidents', '/registry', '/trajectory', '/faces']);
  });

  it('joins the pages of several roles', () => {
    expect(paths(['security', 'mediator'])).toEqual(['/', '/plan', '/alerts', '/incidents', '/cases', '/mediation', '/stats/cases', '/registry', '/trajectory', '/faces']);
  });

  it('gives police the rules and watchlists, but not security staff', () => {
    expect(paths(['police'])).toContain('/alerts/watchlists');
    expect(paths(['security'])).not.toContain('/alerts/rules');
  });

  it('sends a resident to the portal', () => {
    expect(paths(['resident'])).toEqual([]);
    expect(isResidentOnly(['resident'])).toBe(true);
    expect(isResidentOnly(['resident', 'grid_worker'])).toBe(false);
  });

  it('finds the page a path belongs to', () => {
    expect(pageOf('/cases/12')?.path).toBe('/cases');
    expect(pageOf('/cases?overdue=true')?.path).toBe('/cases');
    expect(pageOf('/')?.path).toBe('/');
    expect(pageOf('/registry/persons/new')?.path).toBe('/registry');
    expect(pageOf('/admin/audit?action=trajectory')?.path).toBe('/admin/audit');
    expect(pageOf('/alerts/watchlists/3')?.path).toBe('/alerts/watchlists');
    expect(pageOf('/alerts')?.path).toBe('/alerts');
    expect(pageOf('/mediation/4')?.path).toBe('/mediation');
    expect(pageOf('/stats/cases?from=2026-11-01')?.path).toBe('/stats/cases');
    expect(pageOf('/nowhere')).toBeUndefined();
  });
});
