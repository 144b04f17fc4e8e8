// The measure charts are drawn by @convene/projections (reports/chart-svg.ts) so that the worker's
// meeting packets (issue 18) draw the very same pictures the chart route serves.
export { chartInput, chartSpec, renderChart, type ChartInput, type ChartPoint } from '@convene/projections';
