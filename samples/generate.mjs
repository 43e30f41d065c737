// Regenerates the bundled sample heap snapshots.
//
//   node samples/generate.mjs                 # every sample
//   node samples/generate.mjs service orm     # only the named samples
//
// Each sample program writes three heap snapshots of itself into a temporary
// directory; each one is gzipped (level 9) into
// samples/<name>-<1|2|3>.heapsnapshot.gz and the uncompressed file is deleted.
// Programs run with the same Node that runs this script, except the deno and
// bun samples, which run on the Deno and Bun binaries of the `deno` and `bun`
// dev dependencies (node_modules/.bin). The browser sample needs Debian's
// Chromium at /usr/bin/chromium (or CHROMIUM_PATH). A sample whose runtime is
// missing is skipped.

import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { constants, createGzip } from 'node:zlib';

const samplesDir = fileURLToPath(new URL('.', import.meta.url));
const binDir = fileURLToPath(new URL('../node_modules/.bin/', import.meta.url));
// browser.mjs reads the same variable, so both agree on the executable.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const SAMPLES = {
  service: { script: 'service.mjs', nodeArgs: ['--expose-gc'] },
  orm: { script: 'orm.mjs', nodeArgs: ['--expose-gc'] },
  bigstrings: { script: 'bigstrings.mjs', nodeArgs: ['--expose-gc'] },
  control: { script: 'control.mjs', nodeArgs: ['--expose-gc'] },
  browser: { script: 'browser.mjs', nodeArgs: [], needsChromium: true },
  deno: { script: 'deno.mjs', runtime: 'deno' },
  bun: { script: 'bun.mjs', runtime: 'bun' },
};

// How each runtime other than Node runs a sample: the executable, its arguments
// before the script, and its environment. Deno gets only the permissions the
// sample needs (its own loopback server, snapshots into the work directory).
const RUNTIMES = {
  deno: (workDir) => ({
    executable: join(binDir, 'deno'),
    args: ['run', '--no-prompt', '--v8-flags=--expose-gc', '--allow-net=127.0.0.1', `--allow-write=${workDir}`],
    // No background check for a newer Deno: the samples need no network but loopback.
    env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
  }),
  bun: () => ({ executable: join(binDir, 'bun'), args: [], env: { ...process.env, DO_NOT_TRACK: '1' } }),
};

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !(name in SAMPLES));
if (unknown.length > 0) {
  console.error(`unknown sample(s): ${unknown.join(', ')}; known: ${Object.keys(SAMPLES).join(', ')}`);
  process.exit(2);
}
const names = requested.length > 0 ? requested : Object.keys(SAMPLES);

async function gzipInto(source, target) {
  // Write next to the target and rename, so a failed run never leaves a
  // truncated .gz in place of the committed one.
  const partial = `${target}.partial`;
  try {
    await pipeline(
      createReadStream(source),
      createGzip({ level: constants.Z_BEST_COMPRESSION }),
      createWriteStream(partial),
    );
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  await rename(partial, target);
  await rm(source);
}

async function generate(name) {
  const sample = SAMPLES[name];
  if (sample.needsChromium && !existsSync(CHROMIUM)) {
    console.log(
      `${name}: skipped (no ${CHROMIUM}; install Debian's Chromium with "apt-get install -y chromium"); kept the existing files`,
    );
    return;
  }
  if (sample.runtime && !existsSync(join(binDir, sample.runtime))) {
    console.log(`${name}: skipped (no node_modules/.bin/${sample.runtime}; run "npm install"); kept the existing files`);
    return;
  }

  const workDir = await mkdtemp(join(tmpdir(), `leakgraph-${name}-`));
  try {
    const prefix = join(workDir, name);
    const runtime = sample.runtime
      ? RUNTIMES[sample.runtime](workDir)
      : { executable: process.execPath, args: sample.nodeArgs, env: process.env };
    const result = spawnSync(
      runtime.executable,
      [...runtime.args, join(samplesDir, sample.script), prefix],
      { cwd: samplesDir, stdio: 'inherit', timeout: 5 * 60_000, env: runtime.env },
    );
    if (result.error) throw result.error;
    if (result.status !== 0) {
      throw new Error(`${sample.script} exited with ${result.status ?? result.signal}`);
    }
    for (const n of [1, 2, 3]) {
      const raw = `${prefix}-${n}.heapsnapshot`;
      if (!existsSync(raw)) throw new Error(`${sample.script} did not write ${raw}`);
    }
    for (const n of [1, 2, 3]) {
      const target = join(samplesDir, `${name}-${n}.heapsnapshot.gz`);
      await gzipInto(`${prefix}-${n}.heapsnapshot`, target);
      const { size } = await stat(target);
      console.log(`${name}: samples/${name}-${n}.heapsnapshot.gz (${(size / 1024).toFixed(0)} KiB)`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

let failed = false;
for (const name of names) {
  try {
    await generate(name);
  } catch (err) {
    failed = true;
    console.error(`${name}: failed: ${err.message}`);
  }
}
process.exitCode = failed ? 1 : 0;
