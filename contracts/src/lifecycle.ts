/**
 * The start/stop contract of long-lived services. Constructors do no work;
 * `start()` acquires resources and `stop()` releases them and is safe to call
 * more than once.
 */
import type { Logger } from "./log.ts";

/** A long-lived part of a process: a server, a sender, a device session. */
export interface Service {
  /** Short name for logs, such as `http` or `heartbeat`. */
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `services` in order. If one fails to start, the ones already started
 * are stopped (in reverse) and the error is rethrown.
 */
export async function startAll(services: readonly Service[], log: Logger): Promise<void> {
  const started: Service[] = [];
  try {
    for (const service of services) {
      await service.start();
      started.push(service);
      log.debug(() => `started ${service.name}`);
    }
  } catch (error) {
    await stopAll(started, log);
    throw error;
  }
}

/**
 * Stops `services` in reverse order. A failure to stop one is logged and the
 * others are still stopped.
 */
export async function stopAll(services: readonly Service[], log: Logger): Promise<void> {
  for (const service of [...services].reverse()) {
    try {
      await service.stop();
      log.debug(() => `stopped ${service.name}`);
    } catch (error) {
      log.error(`failed to stop ${service.name}`, { error });
    }
  }
}
