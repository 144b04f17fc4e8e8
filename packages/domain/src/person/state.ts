import type { PersonEvent } from './events';

/** Ids only: the person's name and contact are personal data and no rule needs them. */
export type PersonState = { status: 'none' } | { status: 'registered'; personId: string; organisationId: string | null };

export const initialPersonState = (): PersonState => ({ status: 'none' });

export const evolvePerson = (state: PersonState, event: PersonEvent): PersonState => {
  const { type, data } = event;
  if (type === 'PersonRegistered') return { status: 'registered', personId: data.personId, organisationId: data.organisationId ?? null };
  if (state.status === 'none') return state;
  if (type === 'PersonMoved') return { ...state, organisationId: data.organisationId };
  return state;
};
