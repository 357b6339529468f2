export { createApp, type AppDeps } from "./app.ts";
export { composeEdge, type EdgeAdapters, type EdgeCore } from "./compose.ts";
export { EDGE_CONFIG_FILE_ENV, EDGE_ENV_PREFIX, edgeConfigFields, edgeConfigSchema, loadEdgeConfig, type EdgeConfig } from "./config.ts";
export { startEdge, type EdgeRuntime } from "./main.ts";
