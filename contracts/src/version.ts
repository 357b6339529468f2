/** Version of the kiosk software, reported in health and heartbeats. */
export const SOFTWARE_VERSION = "0.1.0";
