/**
 * Real X.509 certificates for TLS tests, made at test time with the
 * system's `openssl` (Debian's `openssl` package): a CA, a server
 * certificate it signs for 127.0.0.1 and localhost, and an unrelated CA.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** PEM files made by {@linkcode makeTestCertificates}, with their contents. */
export interface TestCertificates {
  /** Folder holding the files. */
  readonly dir: string;
  /** The CA's certificate (PEM file) that signed the server certificate. */
  readonly caFile: string;
  /** A CA's certificate (PEM file) that signed nothing here. */
  readonly otherCaFile: string;
  /** The server certificate (PEM file) for 127.0.0.1, ::1 and localhost. */
  readonly certFile: string;
  /** The server's private key (PEM file). */
  readonly keyFile: string;
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
  /** Deletes the folder. */
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  const run = Bun.spawnSync(["openssl", ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  if (run.exitCode !== 0) throw new Error(`openssl ${args[0]} failed (${run.exitCode}): ${run.stderr.toString().trim()}`);
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

/**
 * Makes a CA, a server certificate it signs (valid two days, for 127.0.0.1,
 * ::1 and localhost) and a second, unrelated CA, in a new temporary folder.
 * @throws {Error} when `openssl` is missing or fails.
 */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "kiosk-tls-"));
  openssl(dir, ["req", "-x509", ...EC_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Kiosk test CA"]);
  openssl(dir, ["req", "-x509", ...EC_KEY, "-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=Unrelated test CA"]);
  openssl(dir, ["req", ...EC_KEY, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
  writeFileSync(
    join(dir, "server.ext"),
    "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
  );
  openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext"]);
  const file = (name: string): string => join(dir, name);
  return {
    dir,
    caFile: file("ca.pem"),
    otherCaFile: file("other-ca.pem"),
    certFile: file("server.pem"),
    keyFile: file("server.key"),
    cert: readFileSync(file("server.pem"), "utf8"),
    key: readFileSync(file("server.key"), "utf8"),
    ca: readFileSync(file("ca.pem"), "utf8"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
