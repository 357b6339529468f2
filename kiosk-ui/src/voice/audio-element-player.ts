import type { PromptPlayer } from "./prompt-player.ts";

/** Plays `url` with an `HTMLAudioElement` that is never attached to the page. */
export const playWithAudioElement: PromptPlayer = (url) => {
  const audio = new Audio(url);
  let stop: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    audio.addEventListener("ended", () => resolve(), { once: true });
    audio.addEventListener("error", () => reject(audio.error ?? new Error(`Cannot play "${url}"`)), { once: true });
    audio.play().catch(reject);
    stop = () => reject(new DOMException("The prompt was stopped", "AbortError"));
  });
  return {
    done,
    stop: () => {
      stop();
      audio.pause();
      // Drops the loaded clip and any request still running for it.
      audio.removeAttribute("src");
      audio.load();
    },
  };
};
