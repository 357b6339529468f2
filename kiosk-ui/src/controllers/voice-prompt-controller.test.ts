import { describe, expect, test } from "bun:test";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { PromptPlayback, PromptPlayer } from "../voice/prompt-player.ts";
import { VoicePromptController } from "./voice-prompt-controller.ts";

/** A clip the test finishes, fails or sees stopped. */
interface FakeClip {
  readonly url: string;
  stopped: boolean;
  end(): void;
  fail(error: unknown): void;
}

function setup() {
  const clips: FakeClip[] = [];
  const controllers: ReactiveController[] = [];
  let updates = 0;
  const host: ReactiveControllerHost = {
    addController: (c) => void controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => void updates++,
    updateComplete: Promise.resolve(true),
  };
  const player: PromptPlayer = (url) => {
    let end!: () => void;
    let fail!: (error: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      end = resolve;
      fail = reject;
    });
    const clip: FakeClip = { url, stopped: false, end, fail };
    clips.push(clip);
    const playback: PromptPlayback = {
      done,
      stop: () => {
        clip.stopped = true;
        fail(new DOMException("stopped", "AbortError"));
      },
    };
    return playback;
  };
  const voice = new VoicePromptController(host, { player });
  return { voice, clips, controllers, updates: () => updates };
}

// Lets the controller see a settled playback.
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("VoicePromptController", () => {
  test("shows the caption at once, plays the clip of the key and language, and says when it has played", async () => {
    const { voice, clips, controllers, updates } = setup();
    expect(controllers).toEqual([voice]);
    voice.say("consent", "zh");
    expect(voice.prompt).toEqual({ key: "consent", lang: "zh", caption: "请阅读以下说明。同意使用人脸识别，请点同意并开始；不同意，请点去窗口办理。" });
    expect(voice.state).toBe("playing");
    expect(clips.map((c) => c.url)).toEqual(["/voice/zh/consent"]);
    const before = updates();
    clips[0]?.end();
    await settle();
    expect(voice.state).toBe("played");
    expect(updates()).toBeGreaterThan(before);
  });

  test("the same prompt again does not replay it", async () => {
    const { voice, clips } = setup();
    voice.say("reading", "en");
    clips[0]?.end();
    await settle();
    voice.say("reading", "en");
    expect(clips).toHaveLength(1);
    expect(voice.state).toBe("played");
  });

  test("another step stops the clip playing, and the stopped clip's end changes nothing", async () => {
    const { voice, clips } = setup();
    voice.say("place-card", "zh");
    voice.say("reading", "zh");
    expect(clips[0]?.stopped).toBe(true);
    expect(clips[1]?.url).toBe("/voice/zh/reading");
    await settle();
    expect(voice.state).toBe("playing");
    expect(voice.prompt?.caption).toBe("正在读卡，请不要移动证件。");
  });

  test("switching language plays the same prompt in the new language", () => {
    const { voice, clips } = setup();
    voice.say("result-verified", "zh");
    voice.say("result-verified", "en");
    expect(clips[0]?.stopped).toBe(true);
    expect(clips[1]?.url).toBe("/voice/en/result-verified");
    expect(voice.prompt?.caption).toBe("Verified. Please take your ID card.");
  });

  test("a browser that blocks playing before a touch leaves the caption shown", async () => {
    const { voice, clips } = setup();
    voice.say("place-card", "zh");
    clips[0]?.fail(new DOMException("play() can only be initiated by a user gesture", "NotAllowedError"));
    await settle();
    expect(voice.state).toBe("blocked");
    expect(voice.prompt?.caption).toBe("请将身份证放在读卡区。");
  });

  test("a clip that cannot load, or a player that throws, leaves the caption shown", async () => {
    const { voice, clips } = setup();
    voice.say("timeout-warning", "en");
    clips[0]?.fail(new Error("MEDIA_ERR_SRC_NOT_SUPPORTED"));
    await settle();
    expect(voice.state).toBe("failed");
    expect(voice.prompt?.caption).toBe("Do you need more time? Touch the screen to continue.");

    const host: ReactiveControllerHost = { addController: () => undefined, removeController: () => undefined, requestUpdate: () => undefined, updateComplete: Promise.resolve(true) };
    const throwing = new VoicePromptController(host, {
      player: () => {
        throw new Error("no audio");
      },
    });
    throwing.say("face", "zh");
    expect(throwing.state).toBe("failed");
    expect(throwing.prompt?.caption).toBe("请看摄像头，把脸放在框内。");
  });

  test("clear stops the clip and removes the caption; leaving the page stops it too", async () => {
    const { voice, clips } = setup();
    voice.say("signature", "zh");
    voice.clear();
    expect(clips[0]?.stopped).toBe(true);
    expect([voice.prompt, voice.state]).toEqual([undefined, "idle"]);

    voice.say("matters", "en");
    voice.hostDisconnected();
    expect(clips[1]?.stopped).toBe(true);
    await settle();
    expect([voice.prompt, voice.state]).toEqual([undefined, "idle"]);
    // Shown again, the same step speaks again.
    voice.say("matters", "en");
    expect(clips).toHaveLength(3);
  });
});
