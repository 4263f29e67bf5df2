/*
 * Lua scripts run with EVAL. Each one is atomic. The multi-key ones only touch keys of the current
 * layout, which share one hash slot (`{tokens}`), so they also run on a Redis Cluster. A lock is
 * only released or extended by the holder that set its random value.
 */

/** KEYS[1] lock, ARGV[1] holder value: deletes the lock if it is still ours. */
export const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** KEYS[1] lock, ARGV[1] holder value, ARGV[2] ms: extends the lock if it is still ours. */
export const EXTEND_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** KEYS[1] entry, ARGV[1] `<token id>.`: deletes the entry if it still holds that token (earlier layout). */
export const DELETE_IF_TOKEN = `local v = redis.call('GET', KEYS[1]) if v and string.sub(v, 1, #ARGV[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * The entry and its token index in one step, unless the token was revoked meanwhile (a write that
 * timed out here may still land later, when ioredis resends it after a reconnect).
 * KEYS[1] entry, KEYS[2] index, KEYS[3] revocation marker; ARGV[1] value, ARGV[2] ms to live.
 * Returns 1 when written, 0 when refused.
 */
export const WRITE_ENTRY = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], KEYS[1], 'PX', ARGV[2])
return 1`;

/**
 * Revokes a token, known by one token id per sealing key. For each id: the entry its index names
 * is deleted if it still holds the token, the index goes, and a marker remembers the revocation as
 * long as the token could live (the index's life, else ARGV[2] ms), so a late write is refused.
 * With the caller's store key, the entry there is deleted too if it holds the token.
 * KEYS: pairs (index, marker) per id, then optionally the entry at the caller's key.
 * ARGV[1] entry key prefix, ARGV[2] marker ms, ARGV[3] number of ids, then the ids.
 * Returns the entry keys the indexes named (whose user the revocation concerns).
 */
export const REVOKE_TOKEN = `
local found = {}
local ids = tonumber(ARGV[3])
local function holds(entry, id)
  local v = redis.call('GET', entry)
  return v and string.sub(v, 1, #id + 1) == id .. '.'
end
for n = 1, ids do
  local id, index, marker = ARGV[3 + n], KEYS[2 * n - 1], KEYS[2 * n]
  local entry = redis.call('GET', index)
  local ttl = ARGV[2]
  if entry then
    local left = redis.call('PTTL', index)
    if left > 0 then ttl = left end
    if string.sub(entry, 1, #ARGV[1]) == ARGV[1] then
      found[#found + 1] = entry
      if holds(entry, id) then redis.call('DEL', entry) end
    end
    redis.call('DEL', index)
  end
  redis.call('SET', marker, '1', 'PX', ttl)
  if #KEYS > 2 * ids and holds(KEYS[#KEYS], id) then redis.call('DEL', KEYS[#KEYS]) end
end
return found`;
