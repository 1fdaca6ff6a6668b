/** Test helpers of the notifications worker pool (issue 16). */
import type { ProcessName } from './system.js';

/** Processes a paid sandbox (or Midtrans) donation and the notifications pool need (no overlay). */
export const NOTIFICATION_PROCESSES: ProcessName[] = [
  'gateway',
  'donation-service',
  'payment-service',
  'workers-donation',
  'workers-checkout',
  'workers-payment-verification',
  'workers-notifications',
];
