// The doors a resident may open (GET /api/v1/me/doors), as the portal shows them: grouped by
// estate, each named with its building, and what a refusal means in words.
import { ApiError } from '../shared/api';

export interface MyDoor {
  id: string;
  name: string;
  kind: string;
  estate_id: number;
  estate_name: string;
  building_id: number | null;
  building_name: string | null;
  online: boolean;
}

export interface EstateDoors {
  estate: string;
  doors: MyDoor[];
}

// The server sends them by estate, gates first, then by building and name; the groups keep that
// order.
export function groupByEstate(doors: MyDoor[]): EstateDoors[] {
  const groups: EstateDoors[] = [];
  const byEstate = new Map<number, EstateDoors>();
  for (const door of doors) {
    let group = byEstate.get(door.estate_id);
    if (!group) {
      group = { estate: door.estate_name, doors: [] };
      byEstate.set(door.estate_id, group);
      groups.push(group);
    }
    group.doors.push(door);
  }
  return groups;
}

// "3号楼 · 1单元门" for a door inside a building, its own name at a gate.
export function doorTitle(door: MyDoor): string {
  return door.building_name && !door.name.startsWith(door.building_name) ? `${door.building_name} · ${door.name}` : door.name;
}

// Why a door did not open: the refusal's reason code, when the server gave one that has words of
// its own (a rate limit's message names the seconds to wait, so it is shown as sent).
export function refusalReason(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 403) return null;
  return error.reason ?? null;
}
