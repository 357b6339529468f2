/**
 * After an update the edge server comes back serving a new UI while the
 * kiosk still shows the old one: the page reloads itself, once per served
 * version, so that a server that keeps reporting a version this UI cannot
 * match (a failed update, a stale cache) never sends the kiosk into a reload
 * loop.
 */

/** What {@linkcode reloadOnNewVersion} needs from the browser. */
export interface ReloadEnv {
  /** Version this UI was built with. */
  readonly uiVersion: string;
  /** Survives a reload of the page (the tab's `sessionStorage`). */
  readonly memory: Pick<Storage, "getItem" | "setItem">;
  readonly reload: () => void;
}

// The served version the page last reloaded for.
const RELOADED_FOR_KEY = "ks-reloaded-for-version";

/**
 * Reloads the page when `servedVersion` differs from the UI's own version and
 * the page has not already reloaded for that version. Returns whether it reloaded.
 */
export function reloadOnNewVersion(servedVersion: string, env: ReloadEnv): boolean {
  if (servedVersion === env.uiVersion || env.memory.getItem(RELOADED_FOR_KEY) === servedVersion) return false;
  env.memory.setItem(RELOADED_FOR_KEY, servedVersion);
  env.reload();
  return true;
}
