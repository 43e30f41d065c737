// The memlab peer for `leaks`: memlab's leak detection from three snapshot files (baseline,
// target, final), with its trace clustering, as a whole process:
//   node bench/peers/memlab-leaks.cjs BASE TARGET FINAL
const { config } = require('@memlab/core');
const { findLeaksBySnapshotFilePaths } = require('@memlab/api');

config.muteConsole = true;
const [baseline, target, final] = process.argv.slice(2);
findLeaksBySnapshotFilePaths(baseline, target, final).then((leaks) => {
  console.log(`${leaks.length} leak traces`);
});
