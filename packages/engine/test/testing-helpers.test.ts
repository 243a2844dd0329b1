import { describe, expect, it } from 'vitest';
import type { RunCommit } from '../src/index';
import { FakeClock, MemoryRunStore, RecordingLogger, SimulatedCrashError, claimedRun } from '../src/testing/index';
import { chain } from './fixtures';

const commit = (n: number): RunCommit => ({ steps: [], state: { pending: [], outputs: { n }, seq: n }, status: 'running', waits: [] });

describe('FakeClock', () => {
  it('wakes sleepers in due order only when time is moved past them', async () => {
    const clock = new FakeClock(100);
    const woke: string[] = [];
    const late = clock.sleep(50).then(() => woke.push(`late@${clock.now()}`));
    const early = clock.sleep(10).then(() => woke.push(`early@${clock.now()}`));
    clock.advance(9);
    await Promise.resolve();
    expect(woke).toEqual([]);
    clock.advance(100);
    await Promise.all([early, late]);
    expect(woke).toEqual(['early@209', 'late@209']);
    expect(clock.now()).toBe(209);
    expect(() => clock.set(5)).toThrow(/backwards/);
  });

  it('rejects a sleep with the signal reason when aborted and forgets its timer', async () => {
    const clock = new FakeClock();
    const ctrl = new AbortController();
    const sleeping = clock.sleep(1000, ctrl.signal);
    await clock.whenSleeping(1);
    ctrl.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingSleeps).toBe(0);
  });
});

describe('MemoryRunStore', () => {
  it('fences commits by lease token: a claim invalidates the previous holder', async () => {
    const store = new MemoryRunStore();
    const run = claimedRun(chain(['a']));
    expect(await store.commit(run.id, run.leaseToken, commit(1))).toBe('ok');
    const taken = store.claim(run);
    expect(taken.leaseToken).toBe(2);
    expect(taken.state).toEqual(commit(1).state);
    expect(await store.commit(run.id, run.leaseToken, commit(2))).toBe('lease-lost');
    expect(await store.commit(run.id, taken.leaseToken, commit(3))).toBe('ok');
    expect(store.commitsOf(run.id).map((c) => c.state.seq)).toEqual([1, 3]);
  });

  it('keeps copies, not references, of what was committed', async () => {
    const store = new MemoryRunStore();
    const c = commit(1);
    await store.commit('r', 1, c);
    c.state.seq = 99;
    expect(store.latest('r')?.state.seq).toBe(1);
  });

  it('simulates crashes after and before a commit, and lease loss', async () => {
    const after = new MemoryRunStore({ crashAfterCommit: 2 });
    await after.commit('r', 1, commit(1));
    await expect(after.commit('r', 1, commit(2))).rejects.toBeInstanceOf(SimulatedCrashError);
    await expect(after.commit('r', 1, commit(3))).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(after.commits.map((e) => e.commit.state.seq)).toEqual([1, 2]);

    const before = new MemoryRunStore({ crashBeforeCommit: 2 });
    await before.commit('r', 1, commit(1));
    await expect(before.commit('r', 1, commit(2))).rejects.toBeInstanceOf(SimulatedCrashError);
    expect(before.commits).toHaveLength(1);
    before.simulate({});
    expect(await before.commit('r', 1, commit(3))).toBe('ok');

    const lost = new MemoryRunStore({ leaseLostAtCommit: 1 });
    expect(await lost.commit('r', 1, commit(1))).toBe('lease-lost');
    expect(lost.commits).toHaveLength(0);
  });
});

describe('RecordingLogger', () => {
  it('merges child bindings into every line and shares lines with its parent', () => {
    const root = new RecordingLogger({ app: 'test' });
    root.child({ runId: 'r1' }).child({ nodeId: 'n' }).warn({ code: 'x' }, 'hello');
    expect(root.lines).toEqual([{ level: 'warn', msg: 'hello', fields: { app: 'test', runId: 'r1', nodeId: 'n', code: 'x' } }]);
    expect(root.find(/hel/)).toHaveLength(1);
  });
});
