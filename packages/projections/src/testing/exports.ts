// Test helpers other workspaces' tests use (not for production code).
export { scenario, run, rng, uid, monthCounts, type ScenarioCommand } from './scenario';
export { runScenario, readLog, compareWithFold } from './harness';
