export { a11yViolations, type A11yViolation } from "./a11y-violations.ts";
export { auditScreen } from "./audit-screen.ts";
export { saveScreenshot, SCREENSHOT_DIR } from "./screenshots.ts";
export { KIOSK_SIZE_RULES, sizeProblems, type SizeRules } from "./size-problems.ts";
