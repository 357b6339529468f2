/**
 * A command started in a process group of its own, for tests that run a whole
 * service tree (`./kiosk demo` and the processes it starts): stopping it
 * signals the group as Ctrl-C in a terminal would, kills whatever is left
 * after a grace period, and waits until no process of the tree remains, on
 * every path a test can take. Linux only: the tree is read from `/proc`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** How the group's leader ended, and what stopping took. */
export interface GroupExit {
  /** The leader's exit code, or null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Processes of the tree still running after the grace period, killed with SIGKILL (0 after an orderly stop). */
  readonly killed: number;
}

/** One process as `/proc/<pid>/stat` describes it. */
interface ProcStat {
  readonly pid: number;
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Start time since boot, in clock ticks: tells a process from a later one given the same pid. */
  readonly startTime: string;
}

const POLL_MS = 50;

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime …";
  // comm may hold spaces and parentheses, so fields are counted from the last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { pid, state: fields[0] ?? "", ppid: Number(fields[1]), pgrp: Number(fields[2]), startTime: fields[19] ?? "" };
}

function allProcesses(): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat && stat.state !== "Z") stats.push(stat);
  }
  return stats;
}

function isRunning(known: ProcStat): boolean {
  const now = readStat(known.pid);
  return now !== undefined && now.startTime === known.startTime && now.state !== "Z";
}

/** The group leader `rootPid`, its running descendants, and every running member of its process group. */
function treeOf(rootPid: number): ProcStat[] {
  const processes = allProcesses();
  const inTree = new Set<number>([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of processes) {
      if (!inTree.has(p.pid) && (inTree.has(p.ppid) || p.pgrp === rootPid)) {
        inTree.add(p.pid);
        grew = true;
      }
    }
  }
  return processes.filter((p) => inTree.has(p.pid));
}

/** A command running as the leader of its own process group. */
export class ProcessGroup {
  readonly #proc: ChildProcess;
  readonly #pid: number;
  readonly #exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #output = "";
  #stopping: Promise<GroupExit> | undefined;

  private constructor(proc: ChildProcess, pid: number) {
    this.#proc = proc;
    this.#pid = pid;
    this.#exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));
    proc.stdout?.on("data", (chunk: Buffer) => (this.#output += chunk.toString()));
    proc.stderr?.on("data", (chunk: Buffer) => (this.#output += chunk.toString()));
  }

  /**
   * Starts `command` as the leader of a new process group, its output collected.
   *
   * @throws {Error} when the command cannot be started.
   */
  static start(command: string, args: readonly string[], options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): ProcessGroup {
    const proc = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (proc.pid === undefined) throw new Error(`Cannot start "${command}"`);
    return new ProcessGroup(proc, proc.pid);
  }

  /** The leader's pid, which is also the group's id. */
  get pid(): number {
    return this.#pid;
  }

  /** Standard output and standard error so far, interleaved as received. */
  get output(): string {
    return this.#output;
  }

  /** The pids of the tree's processes running now (leader, descendants, group members). */
  running(): number[] {
    return treeOf(this.#pid).map((p) => p.pid);
  }

  /**
   * Sends `signal` to the whole group, waits up to `graceMs` for every process
   * of the tree to end, then kills the ones left with SIGKILL and waits for
   * them. Calling it again returns the same result. Never rejects.
   */
  stop(signal: NodeJS.Signals = "SIGINT", graceMs = 15_000): Promise<GroupExit> {
    this.#stopping ??= this.#stop(signal, graceMs);
    return this.#stopping;
  }

  async #stop(signal: NodeJS.Signals, graceMs: number): Promise<GroupExit> {
    // The tree is taken before signalling: a process that leaves the group
    // or loses its parent while stopping is still waited for.
    const tree = treeOf(this.#pid);
    this.#signalGroup(signal);
    let left = await this.#waitForEnd(tree, graceMs);
    const killed = left.length;
    while (left.length > 0) {
      this.#signalGroup("SIGKILL");
      for (const p of left) signalProcess(p.pid, "SIGKILL");
      left = await this.#waitForEnd(left, graceMs);
    }
    const { code, signal: exitSignal } = await this.#exited;
    this.#proc.stdout?.destroy();
    this.#proc.stderr?.destroy();
    return { code, signal: exitSignal, killed };
  }

  #signalGroup(signal: NodeJS.Signals): void {
    signalProcess(-this.#pid, signal);
  }

  // Resolves with the processes of `tree` (and new members of the group) still running after `withinMs`, or none.
  async #waitForEnd(tree: readonly ProcStat[], withinMs: number): Promise<ProcStat[]> {
    const deadline = performance.now() + withinMs;
    for (;;) {
      const left = [...tree.filter(isRunning), ...treeOf(this.#pid).filter((p) => !tree.some((t) => t.pid === p.pid))];
      if (left.length === 0 || performance.now() >= deadline) return left;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

// Signals a process (or, for a negative pid, a group) that may already be gone.
function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
