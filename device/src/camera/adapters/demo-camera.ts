/**
 * The demo's camera: replays the sequences of whoever the demo puts in front
 * of it (`demo-camera-script.ts` decides which clip), switching clips on
 * `show()` and `perform()`. Each clip plays through a {@linkcode ReplayCamera}
 * (its image decoding and caching); this camera republishes the clip's frames
 * under one frame counter, so consumers see one continuous camera.
 */
import { KioskError, silentLogger, systemClock, type Clock, type DeviceStatus, type Logger } from "@kiosk/contracts";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { Camera, CameraCounters, CameraEvent, CameraFrame, NextFrameOptions } from "../camera.ts";
import { CameraCore } from "../camera-core.ts";
import { DemoCameraScript, type DemoCameraAction, type DemoClip, type DemoShowOptions, type DemoSubject } from "../demo-camera-script.ts";
import { ReplayCamera } from "./replay-camera.ts";

/** Options of {@linkcode DemoCamera}. */
export interface DemoCameraOptions {
  /** The sequences folder: `<person>/<kind>/frame-0001.jpg…` (see `demo-camera-script.ts`). */
  readonly dir: string;
  /** Frames per second of `still`. Default {@linkcode DEFAULT_DEMO_FPS}. */
  readonly fps?: number;
  /**
   * Frames per second of an action (blink, turn). Default
   * {@linkcode DEFAULT_DEMO_ACTION_FPS}: slow enough that a face engine
   * analysing a few frames a second sees the shut eyes of a 6-frame blink.
   */
  readonly actionFps?: number;
  readonly clock?: Clock;
  readonly log?: Logger;
}

/** Default frame rate of a person standing still (and of the empty scene). */
export const DEFAULT_DEMO_FPS = 15;
/** Default frame rate of an action clip. */
export const DEFAULT_DEMO_ACTION_FPS = 5;

interface Playing {
  readonly camera: ReplayCamera;
  readonly unsubscribe: () => void;
}

/**
 * A {@linkcode Camera} a demo steers.
 *
 * @example
 * ```ts
 * const camera = new DemoCamera({ dir: DEMO_CAMERA_DIR });
 * await camera.start();           // the empty scene
 * camera.show("resident-zhou-mingyuan");
 * camera.perform("blink");        // once, then back to still
 * ```
 */
export class DemoCamera implements Camera {
  readonly name = "camera";
  readonly channel = "rgb" as const;
  readonly #dir: string;
  readonly #fps: number;
  readonly #actionFps: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #core: CameraCore;
  #script: DemoCameraScript | undefined;
  #playing: Playing | undefined;
  // Clip switches run one at a time, in the order asked.
  #queue: Promise<void> = Promise.resolve();
  #running = false;
  #badFrames = 0;

  constructor(options: DemoCameraOptions) {
    this.#dir = options.dir;
    this.#fps = options.fps ?? DEFAULT_DEMO_FPS;
    this.#actionFps = options.actionFps ?? DEFAULT_DEMO_ACTION_FPS;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#core = new CameraCore({ kind: "demo", channel: this.channel, detail: `demo:${this.#dir} @${this.#fps}fps`, clock: this.#clock, log: this.#log });
  }

  /**
   * Reads the sequences folder and starts on the empty scene.
   *
   * @throws {KioskError} `config-invalid` when the folder cannot be read or has no `nobody` scene.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    let people: string[];
    try {
      people = (await readdir(this.#dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
      this.#script = new DemoCameraScript(people);
    } catch (error) {
      const failure = new KioskError("config-invalid", `Demo camera folder "${this.#dir}" cannot be used: ${(error as Error).message}`, { cause: error, details: { path: this.#dir } });
      this.#core.failed(failure);
      throw failure;
    }
    this.#running = true;
    this.#core.starting();
    await this.#switch(this.#script.clip);
  }

  /** Stops the playing clip. Safe to call more than once. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#enqueue(async () => this.#stopPlaying());
    this.#core.stopped();
  }

  /**
   * Puts `person` (a card id, `other` or `nobody`) in front of the camera;
   * with `printedPhoto`, as a photo that never performs. Someone without
   * sequences shows the empty scene. Resolves when the new clip plays.
   */
  show(person: DemoSubject, options: DemoShowOptions = {}): Promise<void> {
    const script = this.#requireScript();
    return this.#switch(script.show(person, options));
  }

  /** The person in view performs `action` once (see `DemoCameraScript.perform`). */
  perform(action: DemoCameraAction): Promise<void> {
    const clip = this.#requireScript().perform(action);
    return clip ? this.#switch(clip) : Promise.resolve();
  }

  /** Whether `person` has sequences here (after `start()`). */
  has(person: string): boolean {
    return this.#script?.has(person) ?? false;
  }

  latest(): CameraFrame | undefined {
    return this.#core.latest();
  }

  nextFrame(options?: NextFrameOptions): Promise<CameraFrame> {
    return this.#core.nextFrame(options);
  }

  onFrame(listener: (frame: CameraFrame) => void): () => void {
    return this.#core.onFrame(listener);
  }

  onEvent(listener: (event: CameraEvent) => void): () => void {
    return this.#core.onEvent(listener);
  }

  status(): DeviceStatus {
    return this.#core.status();
  }

  counters(): CameraCounters {
    return this.#core.counters({ droppedBytes: 0, badFrames: this.#badFrames });
  }

  #requireScript(): DemoCameraScript {
    if (!this.#script) throw new KioskError("device-unavailable", "The demo camera is not started");
    return this.#script;
  }

  #switch(clip: DemoClip): Promise<void> {
    return this.#enqueue(async () => {
      await this.#stopPlaying();
      if (!this.#running) return;
      try {
        await this.#play(clip);
      } catch (error) {
        // An action without frames in a hand-made folder: the person stays still instead of vanishing.
        if (clip.loop) throw error;
        this.#log.warn("A demo camera action cannot be played; the person stays still", { kind: clip.kind, error: String(error) });
        await this.#stopPlaying();
        await this.#play(this.#requireScript().clipEnded());
      }
    });
  }

  async #play(clip: DemoClip): Promise<void> {
    const camera = new ReplayCamera({ source: { kind: "images", dir: join(this.#dir, clip.person, clip.kind) }, fps: clip.loop ? this.#fps : this.#actionFps, loop: clip.loop, clock: this.#clock, log: this.#log });
    const offFrame = camera.onFrame((frame) => this.#core.publish(frame));
    const offEvent = camera.onEvent((event) => this.#onClipEvent(camera, event));
    this.#playing = { camera, unsubscribe: () => (offFrame(), offEvent()) };
    await camera.start();
    // The clip's first frame is due at once: the switch is done when it is out.
    await camera.nextFrame({ after: 0 });
  }

  #onClipEvent(camera: ReplayCamera, event: CameraEvent): void {
    if (this.#playing?.camera !== camera) return;
    if (event.type === "camera-ended") {
      void this.#switch(this.#requireScript().clipEnded()).catch((error: unknown) => this.#clipFailed(error));
    } else if (event.type === "camera-lost") {
      this.#clipFailed(event.error);
    }
  }

  #clipFailed(error: unknown): void {
    this.#badFrames++;
    this.#core.lost(error instanceof KioskError ? error : new KioskError("device-unavailable", "A demo camera clip failed", { cause: error, retryable: false }));
  }

  async #stopPlaying(): Promise<void> {
    const playing = this.#playing;
    this.#playing = undefined;
    if (!playing) return;
    playing.unsubscribe();
    await playing.camera.stop();
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
