import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { renderProfile, summariseProfiles } from '../lib/cpu-profile';
import type { Scenario } from '../lib/report';
import { formatCpu } from '../lib/proc-stats';
import { measuredLoad } from '../lib/rounds';

/**
 * Where the time goes: one end-to-end load run with the web server and the workers under
 * `node --cpu-prof`, summarised by package and function. Profiling slows the processes, so this
 * run produces no figures of its own; it runs last, after every measured scenario.
 */
export const profile: Scenario = {
  name: 'profile',
  ids: [],
  async run({ stack }) {
    const { sizes, paths } = stack;
    const dir = path.join(paths.benchDir, '.tmp', 'profiles');
    await rm(dir, { recursive: true, force: true });
    await mkdir(path.join(dir, 'web'), { recursive: true });
    await mkdir(path.join(dir, 'worker'), { recursive: true });
    await stack.stopWorkers();
    await stack.stopWeb();
    await stack.resetRuns();
    await stack.startWeb({ nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, 'web')}`] });
    await stack.startWorkers(sizes.workers, {
      concurrency: sizes.workerConcurrency,
      tag: 'prof',
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${path.join(dir, 'worker')}`],
    });
    const spec = stack.hookSpec('e2e');
    // Profiles start with the process; what came before the load (start-up, module loading) is left out.
    const loadStart = Date.now();
    const webSkip = loadStart - (stack.web?.startedAt ?? loadStart);
    const workerSkip = loadStart - Math.min(...stack.workers.map((w) => w.startedAt));
    const round = await measuredLoad(stack, { ...spec, duration: sizes.profileS }, 'profile-load');
    await stack.waitForDrain(sizes.drainTimeoutS);
    // Profiles are written when the processes exit.
    await stack.stopWorkers();
    await stack.stopWeb();
    const web = await summariseProfiles(path.join(dir, 'web'), webSkip);
    const worker = await summariseProfiles(path.join(dir, 'worker'), workerSkip);
    return {
      results: [],
      sections: [
        {
          title: 'Where the time goes (CPU profiles)',
          body:
            `One ${sizes.profileS} s end-to-end load run (${round.load.requests} requests, ${round.load.reqPerS.toFixed(0)} req/s under profiling) ` +
            `with \`--cpu-prof\` on the web server and the ${sizes.workers} worker(s); CPU: ${formatCpu(round.cpu)}. ` +
            `Self time (time in the function itself, not its callees), from the start of the load on; profiles in bench/.tmp/profiles/.\n\n` +
            `${renderProfile('Front server (webhook ingress)', web)}\n\n${renderProfile('Workers', worker)}`,
        },
      ],
    };
  },
};
