/**
 * SDK version, following semantic versioning. Kept equal to `version` in package.json (a unit test
 * checks it).
 */
export const VERSION = '0.1.0';
