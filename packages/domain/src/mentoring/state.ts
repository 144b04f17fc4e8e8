import type { MentoringEvent } from './events';

/** The mentor's contacts (ids) and the applicants it was credited with (`collaborativeId_agencyId`). */
export interface MentoringState {
  contacts: string[];
  recruits: string[];
}

export const initialMentoringState = (): MentoringState => ({ contacts: [], recruits: [] });
export const recruitKey = (collaborativeId: string, agencyId: string) => `${collaborativeId}_${agencyId}`;

export const evolveMentoring = (state: MentoringState, event: MentoringEvent): MentoringState => {
  const { type, data } = event;
  switch (type) {
    case 'MentoringContactLogged':
      return { ...state, contacts: [...state.contacts, data.contactId] };
    case 'RecruitmentCredited':
      return { ...state, recruits: [...state.recruits, recruitKey(data.collaborativeId, data.applicantAgencyId)] };
    default:
      return state;
  }
};
