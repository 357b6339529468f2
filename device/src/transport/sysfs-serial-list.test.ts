import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listSerialPortsFromSysfs } from "./sysfs-serial-list.ts";

// A small copy of the sysfs and /dev layout: a USB serial bridge two levels
// below its USB device, a CDC-ACM interface one level below, an on-board UART
// without USB ids, a virtual console and a UART slot without hardware.
let root: string;
let options: { ttyClassDir: string; devDir: string; byIdDir: string };

function file(path: string, text: string): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `${text}\n`);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "kiosk-sysfs-"));
  const devices = join(root, "sys/devices");
  const ttyClassDir = join(root, "sys/class/tty");
  const devDir = join(root, "dev");
  const byIdDir = join(devDir, "serial/by-id");
  mkdirSync(ttyClassDir, { recursive: true });
  mkdirSync(byIdDir, { recursive: true });

  const ftdi = join(devices, "pci0000:00/usb1/1-1");
  file(join(ftdi, "idVendor"), "0403");
  file(join(ftdi, "idProduct"), "6001");
  file(join(ftdi, "manufacturer"), "FTDI");
  file(join(ftdi, "serial"), "A10K1234");
  mkdirSync(join(ftdi, "1-1:1.0/ttyUSB0"), { recursive: true });
  mkdirSync(join(ttyClassDir, "ttyUSB0"));
  symlinkSync(join(ftdi, "1-1:1.0/ttyUSB0"), join(ttyClassDir, "ttyUSB0/device"));
  symlinkSync("../../ttyUSB0", join(byIdDir, "usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0"));

  const acm = join(devices, "pci0000:00/usb1/1-2");
  file(join(acm, "idVendor"), "2b8b");
  file(join(acm, "idProduct"), "2721");
  mkdirSync(join(acm, "1-2:1.0"), { recursive: true });
  mkdirSync(join(ttyClassDir, "ttyACM0"));
  symlinkSync(join(acm, "1-2:1.0"), join(ttyClassDir, "ttyACM0/device"));

  mkdirSync(join(devices, "pnp0/00:00"), { recursive: true });
  mkdirSync(join(ttyClassDir, "ttyS0"));
  symlinkSync(join(devices, "pnp0/00:00"), join(ttyClassDir, "ttyS0/device"));

  mkdirSync(join(ttyClassDir, "ttyS1")); // a UART slot without a device link
  mkdirSync(join(ttyClassDir, "tty0")); // virtual console
  symlinkSync(join(devices, "pnp0/00:00"), join(ttyClassDir, "tty0/device"));

  options = { ttyClassDir, devDir, byIdDir };
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("listSerialPortsFromSysfs", () => {
  test("lists serial ttys backed by a device, with USB ids where there are some", async () => {
    const ports = await listSerialPortsFromSysfs(options);
    expect(ports).toEqual([
      {
        path: join(options.devDir, "ttyACM0"),
        manufacturer: undefined,
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        vendorId: "2b8b",
        productId: "2721",
      },
      {
        path: join(options.devDir, "ttyS0"),
        manufacturer: undefined,
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        vendorId: undefined,
        productId: undefined,
      },
      {
        path: join(options.devDir, "ttyUSB0"),
        manufacturer: "FTDI",
        serialNumber: "A10K1234",
        pnpId: "usb-FTDI_FT232R_USB_UART_A10K1234-if00-port0",
        locationId: undefined,
        vendorId: "0403",
        productId: "6001",
      },
    ]);
  });

  test("a machine without sysfs or by-id links lists nothing instead of failing", async () => {
    const missing = join(root, "nowhere");
    expect(await listSerialPortsFromSysfs({ ttyClassDir: missing, devDir: missing, byIdDir: missing })).toEqual([]);
  });
});
