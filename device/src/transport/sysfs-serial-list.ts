/**
 * Lists serial ports from sysfs, for machines without `udevadm` (minimal
 * containers, some kiosk images). `@serialport/bindings-cpp` lists ports by
 * parsing `udevadm info -e`, which fails when udev is not installed; sysfs
 * holds the same facts for the ports that matter here: the device node and,
 * for USB bridges, vendor and product ids, manufacturer and serial number.
 */
import type { PortInfo } from "@serialport/bindings-interface" with { "resolution-mode": "require" };
import { readdir, readFile, readlink, realpath } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

/** Where {@linkcode listSerialPortsFromSysfs} looks; every field has the real system's default. */
export interface SysfsListOptions {
  /** Defaults to `/sys/class/tty`. */
  ttyClassDir?: string;
  /** Where device nodes live; defaults to `/dev`. */
  devDir?: string;
  /** udev's stable names, used for `pnpId` when present; defaults to `/dev/serial/by-id`. */
  byIdDir?: string;
}

// The kernel names of serial drivers that serialport lists (8250 UARTs, USB
// serial and CDC-ACM, ARM AMBA and OMAP UARTs, WCH and Exar bridges, Bluetooth RFCOMM).
const SERIAL_TTY_NAME = /^(?:tty(?:S|USB|ACM|AMA|WCH|MFD|O|XRUSB)|rfcomm)\d+$/;
// A tty's `device` link points at the USB interface (CDC-ACM) or at a child of
// it (usb-serial); the USB device with the id files is at most this many levels up.
const MAX_USB_PARENT_LEVELS = 4;

/**
 * Lists the serial ports backed by a device (virtual consoles and ptys have
 * no `device` link and are left out), sorted by path, in the shape
 * serialport's `list()` returns.
 */
export async function listSerialPortsFromSysfs(options: SysfsListOptions = {}): Promise<PortInfo[]> {
  const ttyClassDir = options.ttyClassDir ?? "/sys/class/tty";
  const devDir = options.devDir ?? "/dev";
  const byIdDir = options.byIdDir ?? "/dev/serial/by-id";

  const names = (await readdirOrEmpty(ttyClassDir)).filter((name) => SERIAL_TTY_NAME.test(name)).sort();
  const byId = await readStableNames(byIdDir);
  const ports: PortInfo[] = [];
  for (const name of names) {
    const deviceDir = await realpathOrUndefined(join(ttyClassDir, name, "device"));
    if (deviceDir === undefined) continue;
    const usb = await findUsbAttributes(deviceDir);
    const path = join(devDir, name);
    ports.push({
      path,
      manufacturer: usb?.manufacturer,
      serialNumber: usb?.serialNumber,
      pnpId: byId.get(path),
      locationId: undefined,
      vendorId: usb?.vendorId,
      productId: usb?.productId,
    });
  }
  return ports;
}

interface UsbAttributes {
  vendorId: string | undefined;
  productId: string | undefined;
  manufacturer: string | undefined;
  serialNumber: string | undefined;
}

async function findUsbAttributes(deviceDir: string): Promise<UsbAttributes | undefined> {
  let dir = deviceDir;
  for (let level = 0; level <= MAX_USB_PARENT_LEVELS; level++) {
    const vendorId = await readAttribute(join(dir, "idVendor"));
    if (vendorId !== undefined) {
      return {
        vendorId,
        productId: await readAttribute(join(dir, "idProduct")),
        manufacturer: await readAttribute(join(dir, "manufacturer")),
        serialNumber: await readAttribute(join(dir, "serial")),
      };
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

// Maps a device node path to its /dev/serial/by-id name, as udev's DEVLINKS would give it.
async function readStableNames(byIdDir: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const entry of await readdirOrEmpty(byIdDir)) {
    try {
      const target = resolve(byIdDir, await readlink(join(byIdDir, entry)));
      names.set(target, basename(entry));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
  return names;
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function realpathOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

async function readAttribute(path: string): Promise<string | undefined> {
  try {
    const text = (await readFile(path, "utf8")).trim();
    return text === "" ? undefined : text;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

// Missing files are the normal case in sysfs (attributes vary by driver); EINVAL
// comes from readlink on a non-link entry.
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR" || code === "EINVAL";
}
