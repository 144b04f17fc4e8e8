export const aggregateNames = ['collaborative', 'participation', 'changeproject', 'sitevisit', 'meeting', 'document', 'organisation', 'person', 'mentoring'] as const;
export type AggregateName = (typeof aggregateNames)[number];

/** Stream ids: `<type>-<id>`; the stream type is the text before the first '-'. */
export const streamIds = {
  collaborative: (collaborativeId: string) => `collaborative-${collaborativeId}`,
  participation: (collaborativeId: string, agencyId: string) => `participation-${collaborativeId}_${agencyId}`,
  changeProject: (projectId: string) => `changeproject-${projectId}`,
  siteVisit: (visitId: string) => `sitevisit-${visitId}`,
  meeting: (meetingId: string) => `meeting-${meetingId}`,
  document: (documentId: string) => `document-${documentId}`,
  /** Issue 16: an organisation of the network; an agency's organisationId is its agencyId. */
  organisation: (organisationId: string) => `organisation-${organisationId}`,
  person: (personId: string) => `person-${personId}`,
  /** A peer mentor's contacts and recruitment credits, by the mentor's agency (organisation) id. */
  mentoring: (mentorAgencyId: string) => `mentoring-${mentorAgencyId}`,
};

/** For participation the id is `<collaborativeId>_<agencyId>`. */
export const streamIdFor = (aggregate: AggregateName, id: string): string => `${aggregate}-${id}`;

export const streamTypeOf = (streamId: string): string => streamId.slice(0, Math.max(0, streamId.indexOf('-')));
