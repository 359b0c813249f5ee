/** One timed upload of a transfer calibration (paper Eq. 6): S bytes from the device side to the studio at bandwidth W. */
export interface TransferSample {
  /** The bandwidth the link was shaped to (or measured at, over a real transport), Mbit/s. */
  bandwidthMbps: number;
  bytes: number;
  /** Milliseconds from the first byte written by the sender to the receiver's acknowledgement arriving back. */
  ms: number;
  /** 0-based repeat of this (bandwidth, size). */
  repeat: number;
  /** What carried it: "netns-tbf" for the shaped link here, "transport:<device id>" for a real device. */
  link: string;
  /** ISO 8601. */
  measuredAt: string;
}
