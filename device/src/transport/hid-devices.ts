/**
 * Known USB ids of ID-card readers (spec §10) and how to pick the HID
 * devices worth trying from node-hid's device list.
 */
import { devicesAsync } from "node-hid";

/** How a reader model talks over USB, as far as public code shows (spec §10). */
export type ReaderUsbTransport = "bulk" | "hid" | "dfu" | "unknown";

/** One row of {@linkcode KNOWN_READERS}. */
export interface KnownReader {
  readonly vendorId: number;
  readonly productId: number;
  /** Product family as labelled in public code. */
  readonly family: string;
  readonly transport: ReaderUsbTransport;
  /** `"2+"`: two or more independent sources; `"1"`: one source (spec's confidence legend). */
  readonly confidence: "2+" | "1";
  /** Whether {@linkcode findHidReaderCandidates} offers this id as a HID reader to try. */
  readonly hidCandidate: boolean;
}

/**
 * Reader USB ids from spec §10, HID candidates first, most promising first.
 * All ids with confidence "1" are unverified on real hardware.
 */
export const KNOWN_READERS: readonly KnownReader[] = [
  // Sdtusbapi HID path: plain SAM frames zero-padded into 64-byte reports,
  // exactly what HidTransport does. (1): one Android sample.
  { vendorId: 0x2b8b, productId: 0x2721, family: "SAM HID (Sdtusbapi sample)", transport: "hid", confidence: "1", hidCandidate: true },
  // Routon "HIDIDR" (JingLunReader repo; iDR410/420/500 → 精伦 is unverified). Its
  // framing is inside a closed libusbhid.so, so raw frames may not work. (1)
  { vendorId: 0x0425, productId: 0x8159, family: "Routon HIDIDR", transport: "hid", confidence: "1", hidCandidate: true },
  // Listed by a Windows installer map only; transport unknown, worth a try if it enumerates as HID. (1)
  { vendorId: 0x10c4, productId: 0x8a1b, family: "Senter (信通)", transport: "unknown", confidence: "1", hidCandidate: true },
  { vendorId: 0x2015, productId: 0x0008, family: "Senrui (森锐)", transport: "unknown", confidence: "1", hidCandidate: true },
  { vendorId: 0x9573, productId: 0x4836, family: "Yishu (亿数)", transport: "unknown", confidence: "1", hidCandidate: true },
  // Standard SAM module, vendor-class bulk with split pipes (§1.2), not HID:
  // needs a libusb transport. Shipped by several brands. (2+)
  { vendorId: 0x0400, productId: 0xc35a, family: "Standard SAM USB (USBIDR / StandardDll)", transport: "bulk", confidence: "2+", hidCandidate: false },
  // Miaxis MR-230: SET_REPORT/GET_REPORT control transfers with a vendor
  // wrapper and inconsistent chunking in the only driver seen. (1)
  { vendorId: 0x10c4, productId: 0x0007, family: "Miaxis (中正) MR-230", transport: "hid", confidence: "1", hidCandidate: false },
  // Routon in firmware-update mode: it answers no reader commands. (1)
  { vendorId: 0x0483, productId: 0xdf11, family: "Routon DFU (firmware update)", transport: "dfu", confidence: "1", hidCandidate: false },
  // DKCloudID NFC reader: no SAM, the card is decoded by a cloud service. (1)
  { vendorId: 0x0483, productId: 0x572b, family: "DKCloudID NFC (no SAM)", transport: "hid", confidence: "1", hidCandidate: false },
];

/** The fields of a node-hid `Device` that reader discovery uses. */
export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly path?: string | undefined;
  readonly product?: string | undefined;
  readonly manufacturer?: string | undefined;
  readonly serialNumber?: string | undefined;
  readonly interface?: number | undefined;
}

/** A HID device that may be an ID-card reader. */
export interface HidReaderCandidate {
  /** The hidraw path to open, such as `/dev/hidraw0`. */
  readonly path: string;
  /** `"vvvv:pppp"` in lower-case hex. */
  readonly id: string;
  readonly vendorId: number;
  readonly productId: number;
  /** `"config"` when the id came from the extra ids, `"known"` when from the table. */
  readonly source: "config" | "known";
  /** The table row, when the id is in the table. */
  readonly reader: KnownReader | undefined;
  readonly device: HidDeviceInfo;
}

/** Options for {@linkcode findHidReaderCandidates}. */
export interface FindHidReaderOptions {
  /** Defaults to {@linkcode KNOWN_READERS}. */
  known?: readonly KnownReader[];
  /** Extra ids from config as `"VID:PID"` hex strings (`"0400:c35a"`); tried before the table. */
  extra?: readonly string[];
}

const VID_PID = /^([0-9a-f]{4}):([0-9a-f]{4})$/i;

/**
 * Parses `"VID:PID"` (two 4-digit hex numbers).
 * @throws {SyntaxError} when `text` is not in that form.
 */
export function parseVidPid(text: string): { vendorId: number; productId: number } {
  const match = VID_PID.exec(text.trim());
  if (!match?.[1] || !match[2]) {
    throw new SyntaxError(`Invalid USB id "${text}": expected "VID:PID" in hex, such as "0400:c35a"`);
  }
  return { vendorId: Number.parseInt(match[1], 16), productId: Number.parseInt(match[2], 16) };
}

/** Formats ids as `"vvvv:pppp"` in lower-case hex. */
export function formatVidPid(vendorId: number, productId: number): string {
  return `${hex4(vendorId)}:${hex4(productId)}`;
}

/**
 * Picks the devices to try as readers from node-hid's `devicesAsync()`
 * output: those matching an extra id from config first, then those matching
 * a table row with `hidCandidate`, in table order. Devices without a path,
 * which cannot be opened, are left out, and each path appears once.
 *
 * @throws {SyntaxError} when an extra id is malformed.
 */
export function findHidReaderCandidates(
  devices: readonly HidDeviceInfo[],
  options: FindHidReaderOptions = {},
): HidReaderCandidate[] {
  const known = options.known ?? KNOWN_READERS;
  const extra = (options.extra ?? []).map(parseVidPid);
  const byId = new Map(known.map((reader) => [formatVidPid(reader.vendorId, reader.productId), reader]));
  const wanted: { vendorId: number; productId: number; source: "config" | "known" }[] = [
    ...extra.map((ids) => ({ ...ids, source: "config" as const })),
    ...known.filter((reader) => reader.hidCandidate).map((reader) => ({ ...reader, source: "known" as const })),
  ];

  const seen = new Set<string>();
  const candidates: HidReaderCandidate[] = [];
  for (const want of wanted) {
    for (const device of devices) {
      if (device.vendorId !== want.vendorId || device.productId !== want.productId) continue;
      if (device.path === undefined || device.path === "" || seen.has(device.path)) continue;
      seen.add(device.path);
      const id = formatVidPid(device.vendorId, device.productId);
      candidates.push({
        path: device.path,
        id,
        vendorId: device.vendorId,
        productId: device.productId,
        source: want.source,
        reader: byId.get(id),
        device,
      });
    }
  }
  return candidates;
}

/** Lists HID devices with node-hid's async API (never the sync one). */
export async function listHidDevices(): Promise<HidDeviceInfo[]> {
  return devicesAsync();
}

function hex4(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`Invalid USB id part "${value}": expected 0 to 0xffff`);
  return value.toString(16).padStart(4, "0");
}
