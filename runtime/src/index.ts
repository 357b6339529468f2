export { BunHttpServer, type BunHttpServerOptions } from "./bun-http-server.ts";
export { processLogger } from "./process-logger.ts";
export { loadOrCreateDataKey, loadOrCreateSigningKey } from "./key-file.ts";
