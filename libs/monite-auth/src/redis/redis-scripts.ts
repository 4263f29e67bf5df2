/*
 * Lua scripts run with EVAL: each reads and writes one key atomically, so they also work on a
 * Redis Cluster. A lock is only released or extended by the holder that set its random value.
 */

/** KEYS[1] lock, ARGV[1] holder value: deletes the lock if it is still ours. */
export const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** KEYS[1] lock, ARGV[1] holder value, ARGV[2] ms: extends the lock if it is still ours. */
export const EXTEND_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** KEYS[1] entry, ARGV[1] `<token id>.`: deletes the entry if it still holds that token. */
export const DELETE_IF_TOKEN = `local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
