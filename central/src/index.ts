export { createApiToken, readCentralKey, registerKiosk, type AdminOptions } from "./admin.ts";
export { createCentralApp, type CentralAppDeps } from "./app.ts";
export { createCentralServices, type CentralServices, type CentralServicesOptions } from "./central-services.ts";
export { CENTRAL_CONFIG_FILE_ENV, CENTRAL_ENV_PREFIX, centralConfigFields, centralConfigSchema, loadCentralConfig, type CentralConfig } from "./config.ts";
export { startCentral, type CentralRuntime } from "./main.ts";
export type { KioskDirectory, KioskKey, KioskKeyRegistered, KioskKeyRegistration } from "./ports.ts";
export { CENTRAL_KEY_PATH, type CentralKeyInfo } from "./routes/central-key.ts";
export { API_TOKEN_PREFIX, type CreatedApiToken } from "./store/api-token-store.ts";
export { syncIdempotencyKey } from "./sync/sync-pager.ts";
