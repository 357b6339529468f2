import { expect, test } from "bun:test";
import { CountdownController } from "./countdown-controller.ts";

test("counts the shown countdown down on the injected clock; a new push restarts it; none shows nothing", () => {
  let now = 10_000;
  const host = { addController() {}, requestUpdate() {} };
  const countdown = new CountdownController(host as never, () => now);
  expect(countdown.current).toBeNull();

  const pushed = { secondsLeft: 20, warning: false };
  countdown.show(pushed);
  now += 2_500;
  expect(countdown.current).toEqual({ secondsLeft: 18, warning: false });
  // The same view again (a re-render) keeps counting from the first arrival.
  countdown.show(pushed);
  expect(countdown.current?.secondsLeft).toBe(18);

  countdown.show({ secondsLeft: 9, warning: true });
  now += 999;
  expect(countdown.current).toEqual({ secondsLeft: 9, warning: true });
  now += 60_000;
  expect(countdown.current?.secondsLeft).toBe(0);

  countdown.show(null);
  expect(countdown.current).toBeNull();
  countdown.hostDisconnected();
});
