// The benchmark stack's shape, shared by the synth app and the benchmarks: for N objects, two
// connections (Snowflake and Salesforce) and one query model per ten syncs, as users' stacks are
// sync-heavy. 112 objects are 100 syncs and 10 models; 1000 are 907 syncs and 91 models.

/** @param {number} objects */
function shape(objects) {
  const models = Math.max(1, Math.round((objects - 2) / 11));
  return { connections: 2, models, syncs: objects - 2 - models };
}

module.exports = { shape };
