/** One problem type the API answers with: its code, statuses, meaning and where it is raised. */
export interface ProblemEntry {
  code: string;
  statuses: number[];
  meaning: string;
  raisedIn: string[];
}
