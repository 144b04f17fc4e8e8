// Issue 18: the comparison chart of the meeting packet draws each series it is given, named in a legend.
import { describe, expect, it } from '@jest/globals';
import { renderComparisonChart } from './chart-svg';

describe('issue 18: comparison chart', () => {
  it("issue 18: draws an agency's series and its pool's on one run chart, each point described, the agency's PDSA cycle as a rule", async () => {
    const svg = await renderComparisonChart({
      title: 'Days to treatment', period: 'monthly',
      series: [
        { name: 'Riverside Recovery', points: [{ period: '2025-03', value: 26.36 }, { period: '2025-04', value: 19.2 }] },
        { name: 'Cohort 1 pooled', points: [{ period: '2025-03', value: 24.72 }, { period: '2025-04', value: 20.5 }] },
      ],
      pdsa: [{ projectId: 'p', agencyId: 'a', cycleNumber: 2, beginsOn: '2025-04-02', endsOn: '2025-04-20', decision: 'adapt' }],
    });
    expect(svg).toMatch(/^<svg/);
    for (const d of ['Riverside Recovery 2025-03 26.36', 'Riverside Recovery 2025-04 19.2', 'Cohort 1 pooled 2025-03 24.72', 'Cohort 1 pooled 2025-04 20.5', 'pdsa 2025-04 2025-04-02 cycle 2 adapt']) {
      expect(svg).toContain(d);
    }
    expect(svg).toContain('>Riverside Recovery<');
  });
});
