import { describe, expect, test } from "bun:test";
import { parseEmbeddingCache, serializeEmbeddingCache } from "./face-embedding-cache.ts";

describe("the embeddings file", () => {
  test("reads back exactly what was written, faces and no-faces", () => {
    const embeddings = new Map<string, Float32Array | null>([
      ["live:/d/b.jpg", Float32Array.from([0.1, -0.2, 0.3])],
      ["chip:/d/a.webp", null],
    ]);
    const back = parseEmbeddingCache(serializeEmbeddingCache("m@1", embeddings), "m@1");
    expect([...back.keys()].sort()).toEqual(["chip:/d/a.webp", "live:/d/b.jpg"]);
    expect(back.get("chip:/d/a.webp")).toBeNull();
    expect(back.get("live:/d/b.jpg")).toEqual(Float32Array.from([0.1, -0.2, 0.3]));
  });

  test("refuses another model's embeddings and broken files", () => {
    const text = serializeEmbeddingCache("m@1", new Map());
    expect(() => parseEmbeddingCache(text, "m@2")).toThrow('holds "m@1" embeddings, not "m@2"');
    expect(() => parseEmbeddingCache("{", "m@1")).toThrow(SyntaxError);
    expect(() => parseEmbeddingCache('{"model":"m@1"}', "m@1")).toThrow(SyntaxError);
    expect(() => parseEmbeddingCache('{"model":"m@1","embeddings":{"live:x":["a"]}}', "m@1")).toThrow('"live:x"');
    expect(() => parseEmbeddingCache('{"model":"m@1","embeddings":{"live:x":[]}}', "m@1")).toThrow(SyntaxError);
  });
});
