/**
 * Which workspace may import which (STYLE.md §4). `./kiosk test` fails on any
 * violation. Paths are the real paths of the files, relative to the repository.
 */
const WORKSPACES = "contracts|device|edge-server|kiosk-ui|provisioning|central|runtime|cli";

// Test files and test helpers may reach further than production code.
const TEST_CODE = ["\\.test\\.ts$", "/testing/", "/e2e/", "/hw-tests/"];

/** A rule forbidding `from` to import any of the listed workspaces. */
function noWorkspace(name, from, forbidden, comment) {
  return {
    name,
    comment,
    severity: "error",
    from: { path: `^${from}/` },
    to: { path: `^(${forbidden.join("|")})/` },
  };
}

module.exports = {
  forbidden: [
    noWorkspace("contracts-imports-no-workspace", "contracts", ["device", "edge-server", "kiosk-ui", "provisioning", "central", "runtime", "cli"], "contracts is the innermost layer: wire types, schemas and error codes only"),
    noWorkspace("device-imports-contracts-only", "device", ["edge-server", "kiosk-ui", "provisioning", "central", "runtime", "cli"], "device drivers know nothing of HTTP, SQL or UI"),
    noWorkspace("edge-server-boundaries", "edge-server", ["kiosk-ui", "provisioning", "central", "cli"], "the edge server may use contracts, device (public exports) and runtime"),
    noWorkspace("central-boundaries", "central", ["device", "edge-server", "kiosk-ui", "provisioning", "cli"], "central shares only contracts (and runtime adapters) with the kiosk"),
    noWorkspace("runtime-imports-contracts-only", "runtime", ["device", "edge-server", "kiosk-ui", "provisioning", "central", "cli"], "runtime holds Bun adapters shared by services"),
    noWorkspace("provisioning-boundaries", "provisioning", ["kiosk-ui", "central", "cli"], "provisioning uses contracts, device and the edge config schema"),
    {
      name: "ui-imports-contracts-and-lit-only",
      comment: "the kiosk UI reaches the backend only over HTTP; it may import contracts and, as types only, the edge app",
      severity: "error",
      from: { path: "^kiosk-ui/src/" },
      to: { path: "^(device|provisioning|central|runtime|cli)/" },
    },
    {
      name: "ui-imports-edge-types-only",
      severity: "error",
      from: { path: "^kiosk-ui/src/" },
      to: { path: "^edge-server/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "ui-third-party-is-lit-only",
      comment: "the bundle the browser runs (Lit, zod and the QR code encoder @paulmillr/qr); the UI's bun tests may use bun:test, and its Playwright helpers (src/testing/) Playwright and axe-core",
      severity: "error",
      from: { path: "^kiosk-ui/src/", pathNot: ["\\.test\\.ts$", "^kiosk-ui/src/testing/"] },
      to: { dependencyTypes: ["npm", "npm-dev", "npm-optional", "npm-peer", "npm-no-pkg", "npm-unknown", "core"], pathNot: ["/node_modules/(lit|lit-html|lit-element|@lit|@lit-labs)/", "/node_modules/zod/", "/node_modules/@paulmillr/qr/"] },
    },
    {
      name: "provisioning-uses-edge-config-only",
      severity: "error",
      from: { path: "^provisioning/" },
      to: { path: "^edge-server/", pathNot: "^edge-server/src/config\\.ts$" },
    },
    {
      name: "no-deep-imports-across-workspaces",
      comment: "another workspace is reached through its package.json exports only",
      severity: "error",
      from: { path: `^(${WORKSPACES})/` },
      to: {
        path: `^(${WORKSPACES})/`,
        pathNot: [
          "^$1/",
          `^(${WORKSPACES})/src/index\\.ts$`,
          `^(${WORKSPACES})/src/adapters\\.ts$`,
          `^(${WORKSPACES})/src/testing/index\\.ts$`,
          "^edge-server/src/config\\.ts$",
          "^kiosk-ui/build\\.ts$",
        ],
      },
    },
    {
      name: "production-code-does-not-import-test-helpers",
      comment: "test helpers (a workspace's ./testing export) serve tests and the CLI's benchmarks and test tools, never a service",
      severity: "error",
      from: { path: `^(${WORKSPACES})/src/`, pathNot: [...TEST_CODE, "^cli/src/commands/(bench-[^/]+|face-sequence|test)\\.ts$", "^cli/src/sync-chaos/"] },
      to: { path: ["/src/testing/", "\\.test\\.ts$"] },
    },
    {
      name: "contracts-third-party-is-zod-only",
      comment: "contracts does no I/O: no node or bun modules, and zod is its only dependency",
      severity: "error",
      from: { path: "^contracts/src/", pathNot: TEST_CODE },
      to: { dependencyTypes: ["core", "npm", "npm-dev", "npm-no-pkg", "npm-unknown"], pathNot: "/node_modules/zod/" },
    },
    {
      name: "protocol-is-pure",
      comment: "the ID-card codec takes bytes and returns values: no I/O, no transports",
      severity: "error",
      from: { path: "^device/src/[^/]+/protocol/", pathNot: TEST_CODE },
      to: { path: ["^device/src/transport/", "^(node:|bun)"] },
    },
    {
      name: "protocol-imports-no-core-modules",
      severity: "error",
      from: { path: "^device/src/[^/]+/protocol/", pathNot: TEST_CODE },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "device-libraries-in-adapters-only",
      comment: "serialport, node-hid, sharp and bun:* are adapters: only device/src/transport and adapters/ folders may use them",
      severity: "error",
      from: { path: "^device/src/", pathNot: ["^device/src/transport/", "^device/src/.+/adapters/", ...TEST_CODE] },
      to: { path: ["/node_modules/(serialport|@serialport|node-hid|sharp)/", "^bun:"] },
    },
    {
      name: "edge-hono-in-http-layer-only",
      comment: "hono stays in app.ts, routes/ and middleware/ (types may flow further)",
      severity: "error",
      from: { path: "^edge-server/src/", pathNot: ["^edge-server/src/(app\\.ts|routes/|middleware/)", ...TEST_CODE] },
      to: { path: "/node_modules/hono/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "edge-bun-in-adapters-only",
      comment: "Bun-only modules stay in adapters/, store/ and main.ts so the core also runs on Deno",
      severity: "error",
      from: { path: "^edge-server/src/", pathNot: ["^edge-server/src/(adapters/|store/|main\\.ts$)", ...TEST_CODE] },
      to: { path: "^bun(:|$)" },
    },
    {
      name: "edge-face-libraries-in-adapters-only",
      comment: "the face engine (human, face-api, tfjs) and image codecs are adapters behind the FaceEngine port",
      severity: "error",
      from: { path: "^edge-server/src/", pathNot: ["^edge-server/src/adapters/", ...TEST_CODE] },
      to: { path: "/node_modules/(@vladmandic|@tensorflow|sharp)/" },
    },
    {
      name: "edge-domain-is-pure",
      comment: "domain/ imports nothing but contracts and itself",
      severity: "error",
      from: { path: "^edge-server/src/domain/", pathNot: TEST_CODE },
      to: { pathNot: ["^edge-server/src/domain/", "^contracts/", "/node_modules/zod/"] },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    combinedDependencies: false,
    preserveSymlinks: false,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "bun", "node", "default"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".json"],
      mainFields: ["module", "main"],
    },
  },
};
