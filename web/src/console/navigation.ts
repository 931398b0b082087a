// Which pages a user's roles open. The API checks every call again; this only keeps the console
// from offering pages that would answer 403.
import type { WordKey } from '../shared/i18n';

export interface NavItem {
  path: string;
  label: WordKey;
  roles: string[];
  // Settings of the whole installation: only for users whose scope is everywhere (no region).
  installationWide?: boolean;
}

export const pages: NavItem[] = [
  { path: '/', label: 'nav.dashboard', roles: ['police', 'security', 'grid_worker', 'mediator', 'department', 'admin'] },
  { path: '/plan', label: 'nav.plan', roles: ['police', 'security', 'grid_worker', 'admin'] },
  { path: '/alerts', label: 'nav.alerts', roles: ['police', 'security', 'grid_worker', 'admin'] },
  { path: '/alerts/rules', label: 'nav.rules', roles: ['police', 'admin'] },
  { path: '/alerts/watchlists', label: 'nav.watchlists', roles: ['police', 'admin'] },
  { path: '/incidents', label: 'nav.incidents', roles: ['police', 'security', 'grid_worker', 'admin'] },
  { path: '/cases', label: 'nav.cases', roles: ['police', 'grid_worker', 'mediator', 'department', 'admin'] },
  { path: '/mediation', label: 'nav.mediation', roles: ['police', 'grid_worker', 'mediator', 'department', 'admin'] },
  { path: '/stats/cases', label: 'nav.caseStats', roles: ['police', 'grid_worker', 'mediator', 'department', 'admin'] },
  { path: '/registry', label: 'nav.registry', roles: ['police', 'security', 'grid_worker', 'mediator', 'department', 'admin'] },
  { path: '/trajectory', label: 'nav.trajectory', roles: ['police', 'security', 'admin'] },
  { path: '/faces', label: 'nav.faces', roles: ['police', 'security', 'admin'] },
  { path: '/admin/users', label: 'nav.users', roles: ['admin'] },
  { path: '/admin/audit', label: 'nav.audit', roles: ['admin'] },
  { path: '/admin/retention', label: 'nav.retention', roles: ['admin'], installationWide: true },
];

export function mayUse(roles: readonly string[], allowed: readonly string[]): boolean {
  return roles.includes('admin') || roles.some((r) => allowed.includes(r));
}

// Whether a user with these roles and region (null: the whole installation) may open the page.
export function mayOpen(item: NavItem, roles: readonly string[], regionId: number | null = null): boolean {
  return mayUse(roles, item.roles) && (!item.installationWide || regionId === null);
}

export function navFor(roles: readonly string[], regionId: number | null = null): NavItem[] {
  return pages.filter((p) => mayOpen(p, roles, regionId));
}

// A resident's login belongs in the portal; everyone else with no page here has nothing to see.
export function isResidentOnly(roles: readonly string[]): boolean {
  return navFor(roles).length === 0 && roles.includes('resident');
}

// The page item that a path falls under ("/cases/12" -> cases).
export function pageOf(path: string): NavItem | undefined {
  const clean = path.split('?')[0];
  return [...pages].reverse().find((p) => (p.path === '/' ? clean === '/' : clean === p.path || clean.startsWith(p.path + '/')));
}
