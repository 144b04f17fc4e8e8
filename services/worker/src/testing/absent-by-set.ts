/**
 * A meeting's absent agencies as a Set applies an attendance recording entry by entry (present:
 * delete; absent: add): the reference the one-statement recording (meeting-absent.ts) is checked
 * against.
 */
export function absentBySet(before: readonly string[], entries: readonly { agencyId: string; present: boolean }[]): string[] {
  const absent = new Set(before);
  for (const e of entries) {
    if (e.present) absent.delete(e.agencyId);
    else absent.add(e.agencyId);
  }
  return [...absent];
}
