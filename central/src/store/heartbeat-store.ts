import { devicesStatusSchema, type DevicesStatus, type Heartbeat, type KioskStatus } from "@kiosk/contracts";
import type { Database } from "./database.ts";

/** What central knows of one kiosk from its heartbeats. */
export interface KioskSeen {
  readonly kioskId: string;
  readonly firstSeenAt: string;
  /** Central's clock at the latest heartbeat. */
  readonly lastSeenAt: string;
  /** The kiosk's clock at the latest heartbeat. */
  readonly sentAt: string;
  readonly bootId: string;
  readonly seq: number;
  readonly status: KioskStatus;
  readonly version: string;
  readonly uptimeS: number;
  readonly devices: DevicesStatus;
  readonly heartbeatCount: number;
}

interface Row {
  kiosk_id: string;
  first_seen_ms: number | string;
  last_seen_ms: number | string;
  sent_at: string;
  boot_id: string;
  seq: number;
  status: string;
  version: string;
  uptime_s: number;
  devices: string;
  heartbeat_count: number | string;
}

/** Stores the latest heartbeat of each kiosk. */
export class HeartbeatStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Records a heartbeat received at `receivedAtMs` (central's clock). One
   * that arrives after a later one is ignored.
   */
  async record(heartbeat: Heartbeat, receivedAtMs: number): Promise<void> {
    await this.#db.sql`
      insert into kiosk_heartbeats
        (kiosk_id, first_seen_ms, last_seen_ms, sent_at, boot_id, seq, status, version, uptime_s, devices, heartbeat_count)
      values
        (${heartbeat.kioskId}, ${receivedAtMs}, ${receivedAtMs}, ${heartbeat.sentAt}, ${heartbeat.bootId}, ${heartbeat.seq},
         ${heartbeat.status}, ${heartbeat.version}, ${heartbeat.uptimeS}, ${JSON.stringify(heartbeat.devices)}, 1)
      on conflict (kiosk_id) do update set
        last_seen_ms = excluded.last_seen_ms, sent_at = excluded.sent_at, boot_id = excluded.boot_id, seq = excluded.seq,
        status = excluded.status, version = excluded.version, uptime_s = excluded.uptime_s, devices = excluded.devices,
        heartbeat_count = kiosk_heartbeats.heartbeat_count + 1
      where excluded.last_seen_ms >= kiosk_heartbeats.last_seen_ms`;
  }

  /** Every kiosk seen, most recently heard from first. */
  async list(): Promise<KioskSeen[]> {
    const rows: Row[] = await this.#db.sql`select * from kiosk_heartbeats order by last_seen_ms desc, kiosk_id`;
    return rows.map(toKioskSeen);
  }
}

function toKioskSeen(row: Row): KioskSeen {
  return {
    kioskId: row.kiosk_id,
    firstSeenAt: new Date(Number(row.first_seen_ms)).toISOString(),
    lastSeenAt: new Date(Number(row.last_seen_ms)).toISOString(),
    sentAt: row.sent_at,
    bootId: row.boot_id,
    seq: Number(row.seq),
    status: row.status as KioskStatus,
    version: row.version,
    uptimeS: Number(row.uptime_s),
    devices: devicesStatusSchema.parse(JSON.parse(row.devices)),
    heartbeatCount: Number(row.heartbeat_count),
  };
}
