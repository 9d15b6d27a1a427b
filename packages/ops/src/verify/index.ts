export { verifyInventory, VerifyAbortedError, type VerifyOptions, type VerifyTarget } from './run.js';
export { planChecks, selectForHashing, type HashSelection } from './plan.js';
export { failureCount, formatVerifyReport, type VerifyReport, type VerifyFigures } from './report.js';
