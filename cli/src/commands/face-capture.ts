/**
 * `./kiosk face capture --chip CHIP [--replay PATH | --device DEV] [--fps N]
 * [--liveness MODE] [--time-limit-ms N]`: runs one whole face capture as the
 * kiosk does (guidance, liveness challenge, match of the K best frames
 * against the chip photo) on the configured camera or on a replay, so a
 * technician can check the camera and the engine together.
 *
 * Prints one JSON line per update (`{"type":"guidance","code"}`,
 * `{"type":"challenge","action","step","of"}`) and a last line with the
 * outcome. Exit 0 when matched, 1 for any other outcome or a failure, 2 for
 * bad usage or an unreadable chip photo. Settings come from the
 * `KIOSK_EDGE_FACE_*` and `KIOSK_EDGE_DEVICES_*` variables, as the edge
 * server reads them; the flags override them.
 */
import { loadConfig, systemClock } from "@kiosk/contracts";
import { JpegFrameDecoder } from "@kiosk/device/adapters";
import { CameraLiveFrames, createCamera, createFaceEngine, devicesConfigSchema, FaceCapture, type CaptureOutcome } from "@kiosk/edge-server";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { loadFaceConfig, loadImage, reportFailure, round, stderrLogger } from "./face-support.ts";
import { wholeNumber } from "../flags.ts";

const DEVICES_ENV_PREFIX = "KIOSK_EDGE_DEVICES_";

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let chipPath: string;
  const faceOverrides: Record<string, unknown> = {};
  const deviceOverrides: Record<string, unknown> = {};
  try {
    const { values } = parseArgs({
      args,
      options: {
        chip: { type: "string" },
        replay: { type: "string" },
        device: { type: "string" },
        fps: { type: "string" },
        liveness: { type: "string" },
        "time-limit-ms": { type: "string" },
      },
    });
    if (!values.chip) throw new RangeError("Missing --chip CHIP: the chip photo to match");
    if (values.replay && values.device) throw new RangeError("Give --replay PATH or --device DEV, not both");
    chipPath = resolve(io.cwd, values.chip);
    if (values.replay) Object.assign(deviceOverrides, { "camera.source": "replay", "camera.replayPath": resolve(io.cwd, values.replay) });
    if (values.device) Object.assign(deviceOverrides, { "camera.source": "v4l2", "camera.device": values.device });
    const fps = wholeNumber(values.fps, "--fps");
    if (fps !== undefined) deviceOverrides["camera.fps"] = fps;
    if (values.liveness !== undefined) faceOverrides["liveness.mode"] = values.liveness;
    const limit = wholeNumber(values["time-limit-ms"], "--time-limit-ms");
    if (limit !== undefined) faceOverrides["capture.timeLimitMs"] = limit;
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const chip = await loadImage(chipPath);
  if (!chip.ok) {
    io.err(`${chip.message}\n`);
    return EXIT.usage;
  }
  let face;
  let devices;
  let camera;
  const log = stderrLogger(io, "face-capture");
  try {
    face = loadFaceConfig(io, faceOverrides);
    devices = loadConfig(devicesConfigSchema, DEVICES_ENV_PREFIX, { env: io.env, overrides: deviceOverrides });
    camera = createCamera(devices, { clock: systemClock, log });
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const engine = createFaceEngine({ ...face, workers: face.workers === 0 ? 1 : face.workers }, log);
  try {
    await Promise.all([engine.start(), camera.start()]);
    const capture = new FaceCapture({
      engine,
      frames: new CameraLiveFrames(camera, new JpegFrameDecoder()),
      settings: face,
      clock: systemClock,
      random: Math.random,
    });
    const outcome = await capture.run(chip.image, { onUpdate: (update) => io.out(`${JSON.stringify(update)}\n`) });
    io.out(`${JSON.stringify(printable(outcome))}\n`);
    return outcome.outcome === "matched" ? EXIT.ok : EXIT.failure;
  } catch (error) {
    return reportFailure(io, "The face capture failed", error);
  } finally {
    await Promise.all([engine.stop(), camera.stop()]);
  }
}

/** The outcome with its similarity rounded for reading. */
function printable(outcome: CaptureOutcome): CaptureOutcome {
  if (outcome.outcome !== "matched" && outcome.outcome !== "not-matched") return outcome;
  const d = outcome.decision;
  return { ...outcome, decision: { ...d, similarity: round(d.similarity, 4), margin: round(d.margin, 4) } };
}
