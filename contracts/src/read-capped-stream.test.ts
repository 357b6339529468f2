import { describe, expect, test } from "bun:test";
import { KioskError } from "./errors.ts";
import { readCappedStream } from "./read-capped-stream.ts";

const tooLarge = () => new KioskError("payload-too-large", "Too large");

// A stream of `chunks`, then endless 1 KiB chunks when `endless`; counts what was pulled and whether it was cancelled.
function source(chunks: readonly number[][], endless = false) {
  const seen = { pulled: 0, cancelled: false };
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += 1;
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(new Uint8Array(chunk));
      else if (endless) controller.enqueue(new Uint8Array(1024));
      else controller.close();
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe("readCappedStream", () => {
  test("joins the chunks of a stream within the limit, the limit itself included", async () => {
    const { stream } = source([[1, 2], [], [3, 4, 5]]);
    expect([...(await readCappedStream(stream, 5, tooLarge))]).toEqual([1, 2, 3, 4, 5]);
    expect(await readCappedStream(source([]).stream, 0, tooLarge)).toEqual(new Uint8Array(0));
  });

  test("past the limit: the caller's error, and the stream is cancelled", async () => {
    const { stream, seen } = source([[1, 2, 3], [4, 5, 6]]);
    await expect(readCappedStream(stream, 5, tooLarge)).rejects.toThrow("Too large");
    expect(seen.cancelled).toBe(true);
  });

  test("an endless stream stops as soon as the limit is passed", async () => {
    const { stream, seen } = source([], true);
    await expect(readCappedStream(stream, 10 * 1024, tooLarge)).rejects.toThrow("Too large");
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(16);
  });

  test("an error of the stream is passed on as it is", async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new TypeError("Broken pipe"));
      },
    });
    await expect(readCappedStream(stream, 10, tooLarge)).rejects.toThrow(TypeError);
  });
});
