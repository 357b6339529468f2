export { BunHttpServer, type BunHttpServerOptions } from "./bun-http-server.ts";
