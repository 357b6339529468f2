export { createCentralApp, type CentralAppDeps } from "./app.ts";
export { CENTRAL_CONFIG_FILE_ENV, CENTRAL_ENV_PREFIX, centralConfigFields, centralConfigSchema, loadCentralConfig, type CentralConfig } from "./config.ts";
export { startCentral, type CentralRuntime } from "./main.ts";
