// The doors a resident opens from the portal. The API has no list of the doors a resident may
// open, so the portal keeps the doors this phone has opened (newest first) and the resident
// types a new door's number, as printed on the door, once.
const storageKey = 'anju.portal.doors';
const keep = 8;

export function rememberDoor(doors: string[], id: string): string[] {
  return [id, ...doors.filter((door) => door !== id)].slice(0, keep);
}

export function forgetDoor(doors: string[], id: string): string[] {
  return doors.filter((door) => door !== id);
}

// The refusal's reason code, which the server's 403 message names ("…; reason no_access_group, …").
export function refusalReason(message: string): string | null {
  return /reason ([a-z_]+)/.exec(message)?.[1] ?? null;
}

export function loadDoors(): string[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(storageKey) ?? '[]');
    return Array.isArray(stored) ? stored.filter((d): d is string => typeof d === 'string').slice(0, keep) : [];
  } catch {
    return [];
  }
}

export function saveDoors(doors: string[]): void {
  localStorage.setItem(storageKey, JSON.stringify(doors));
}
