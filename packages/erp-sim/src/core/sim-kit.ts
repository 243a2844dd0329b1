import { z } from 'zod';
import { FaultInjector, type FaultSpec, type FaultSpecInput, faultSpecSchema } from './faults';
import { header, isPlainObject, parseJsonBody, sleep, startHttpServer, type Headers, type SimRequest, type SimResponse } from './http-server';
import { RecordStore, type StoredRecord } from './record-store';

/** Options every simulator accepts. */
export interface CommonSimOptions {
  /** Interface to listen on; loopback by default. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Milliseconds since the epoch; inject a fake clock to test token expiry and stale timestamps. */
  clock?: () => number;
  /** Base seed of the fault streams (each account mixes in its own name). */
  seed?: number;
  /** When set, `/__admin/*` requires `x-admin-token: <adminToken>`. */
  adminToken?: string;
}

/** What every `start*Sim` returns. */
export interface SimHandle {
  name: string;
  url: string;
  port: number;
  close(): Promise<void>;
  /** Stored records of a kind (vendor record type or entity set), across accounts unless one is named. */
  records(kind: string, account?: string): StoredRecord[];
  /** Same body as `POST /__admin/faults`; throws a ZodError on a bad spec. */
  setFaults(spec: FaultSpecInput): FaultSpec;
  clearFaults(account?: string): void;
  /** Drops records and faults (of one account, or all); credentials and issued tokens stay valid. */
  reset(account?: string): void;
}

/** A vendor-shaped answer; simulators build these for throttling and injected server errors. */
export interface VendorReply {
  status: number;
  body?: unknown;
  headers?: Headers;
}

export interface SimKit {
  store: RecordStore;
  faults: FaultInjector;
  now: () => number;
  /**
   * Applies the account's injected faults. Returns false when the request has been answered (429,
   * 5xx) or deliberately left hanging; true when the handler should go on (possibly with a lost response).
   */
  gate(account: string, res: SimResponse, shapes: FaultShapes): Promise<boolean>;
}

export interface FaultShapes {
  throttled(retryAfterSeconds: number): VendorReply;
  serverError(): VendorReply;
}

export interface SimDefinition {
  name: string;
  options: CommonSimOptions;
  handle(req: SimRequest, res: SimResponse, kit: SimKit): Promise<void>;
  /** Extra read-only admin views, e.g. NetSuite's login audit trail: `GET /__admin/<name>`. */
  adminViews?: Record<string, () => unknown>;
  /**
   * Called on reset (and once at start) so a simulator can drop its own state (nonces, audit
   * trail) or restore its seed data into the emptied store.
   */
  onReset?(account: string | undefined, store: RecordStore): void;
  /** Called before the server closes (cancel timers the simulator started). */
  onClose?(): void;
}

const resetBody = z.strictObject({ account: z.string().min(1).optional() }).optional();

export async function startSim(def: SimDefinition): Promise<SimHandle> {
  const now = def.options.clock ?? Date.now;
  const store = new RecordStore(now);
  const faults = new FaultInjector(def.options.seed ?? 1);

  const reset = (account?: string): void => {
    store.reset(account);
    faults.clear(account);
    def.onReset?.(account, store);
  };
  def.onReset?.(undefined, store);

  const kit: SimKit = {
    store,
    faults,
    now,
    async gate(account, res, shapes) {
      const d = faults.decide(account);
      if (!d) return true;
      if (d.delayMs > 0) await sleep(d.delayMs);
      if (d.outcome === 'timeout') {
        res.hang();
        return false;
      }
      if (d.outcome === 'throttle' || d.outcome === 'error') {
        const reply = d.outcome === 'throttle' ? shapes.throttled(d.retryAfterSeconds) : shapes.serverError();
        const headers: Headers = { ...(reply.headers ?? {}) };
        if (d.outcome === 'throttle') headers['Retry-After'] = String(d.retryAfterSeconds);
        res.send(reply.status, reply.body, headers);
        return false;
      }
      if (d.loseResponse) res.lose = true;
      return true;
    },
  };

  const server = await startHttpServer(
    async (req, res) => {
      if (req.url.pathname.startsWith('/__admin/')) {
        handleAdmin(req, res, def, { store, faults, reset });
        return;
      }
      await def.handle(req, res, kit);
    },
    { host: def.options.host, port: def.options.port, name: def.name },
  );

  return {
    name: def.name,
    url: server.url,
    port: server.port,
    close: () => {
      def.onClose?.();
      return server.close();
    },
    records: (kind, account) => store.all(kind, account),
    setFaults: (spec) => faults.set(spec),
    clearFaults: (account) => faults.clear(account),
    reset,
  };
}

interface AdminDeps {
  store: RecordStore;
  faults: FaultInjector;
  reset(account?: string): void;
}

/** `/__admin/*`: the same JSON API for every simulator, so the demo and tests drive them alike. */
function handleAdmin(req: SimRequest, res: SimResponse, def: SimDefinition, deps: AdminDeps): void {
  if (def.options.adminToken !== undefined && header(req, 'x-admin-token') !== def.options.adminToken) {
    res.send(401, { error: 'admin token missing or wrong (x-admin-token)' });
    return;
  }
  const route = req.url.pathname.slice('/__admin/'.length);
  const account = req.url.searchParams.get('account') ?? undefined;
  const parsed = parseJsonBody(req);
  if (!parsed.ok) {
    res.send(400, { error: `request body is not valid JSON: ${parsed.message}` });
    return;
  }
  if (route === 'faults' && req.method === 'POST') {
    const result = faultSpecSchema.safeParse(parsed.value);
    if (!result.success) {
      res.send(400, { error: 'invalid fault spec', issues: result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })) });
      return;
    }
    res.send(200, { faults: deps.faults.set(result.data) });
    return;
  }
  if (route === 'faults' && req.method === 'GET') return res.send(200, { faults: deps.faults.list() });
  if (route === 'faults' && req.method === 'DELETE') {
    deps.faults.clear(account);
    return res.send(200, { faults: deps.faults.list() });
  }
  if (route === 'reset' && req.method === 'POST') {
    const body = resetBody.safeParse(parsed.value);
    if (!body.success) return res.send(400, { error: 'reset body must be {} or { "account": "<id>" }' });
    const target = body.data?.account ?? account;
    deps.reset(target);
    return res.send(200, { reset: target ?? 'all' });
  }
  if (route === 'records' && req.method === 'GET') {
    const kind = req.url.searchParams.get('kind');
    if (kind === null) return res.send(200, { summary: deps.store.summary() });
    const records = deps.store.all(kind, account);
    return res.send(200, { kind, account: account ?? null, count: records.length, records });
  }
  const view = def.adminViews?.[route];
  if (view && req.method === 'GET') return res.send(200, toJsonable(view()));
  res.send(404, { error: `no admin route ${req.method} /__admin/${route}` });
}

function toJsonable(value: unknown): unknown {
  return isPlainObject(value) || Array.isArray(value) ? value : { value };
}
