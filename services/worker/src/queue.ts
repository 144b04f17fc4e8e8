// The delivery queue's name and default Redis key prefix, in a module of their own so that the
// API's queue board (services/api/src/admin/queue-board.ts) opens the very queue the workers use
// without importing the workers.
export const DELIVERY_QUEUE = 'deliveries';
/** BullMQ key prefix when WORKER_PREFIX is unset. */
export const DEFAULT_QUEUE_PREFIX = 'convene';
