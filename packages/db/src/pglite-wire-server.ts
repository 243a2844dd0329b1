import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

/**
 * Serves one PGlite instance over the PostgreSQL wire protocol to many client connections.
 *
 * Why not `PGLiteSocketServer` from @electric-sql/pglite-socket: it queues every protocol message
 * on its own, so the extended-protocol messages of two connections (Parse/Bind/Execute/Sync)
 * interleave on PGlite's single backend session ("unnamed prepared statement does not exist"), and
 * a transaction on one connection could hang others. PGlite is one session, so correctness needs
 * the connections to take turns in whole units:
 * - a unit is every message up to and including a Sync, a simple Query or a Flush;
 * - a connection that leaves a unit inside a transaction (ReadyForQuery status 'T' or 'E') keeps
 *   the session until its transaction ends, so no other connection's statement runs inside it;
 * - a connection that disconnects while holding the session has its transaction rolled back.
 * LISTEN/NOTIFY cannot work across connections on one session; callers poll instead.
 */

const SSL_REQUEST_CODE = 80877103;
const CANCEL_REQUEST_CODE = 80877102;
const PROTOCOL_V3 = 196608;

export interface PGliteWireServer {
  port: number;
  close(): Promise<void>;
}

/** A FIFO lock handed from connection to connection. */
class SessionLock {
  private owner: Connection | null = null;
  private readonly waiters: Array<{ conn: Connection; grant: () => void }> = [];

  async acquire(conn: Connection): Promise<void> {
    if (this.owner === conn) return;
    if (this.owner === null) {
      this.owner = conn;
      return;
    }
    await new Promise<void>((grant) => this.waiters.push({ conn, grant }));
  }

  release(conn: Connection): void {
    if (this.owner !== conn) return;
    const next = this.waiters.shift();
    this.owner = next?.conn ?? null;
    next?.grant();
  }

  forget(conn: Connection): void {
    const index = this.waiters.findIndex((w) => w.conn === conn);
    if (index >= 0) this.waiters.splice(index, 1);
  }
}

class Connection {
  private buffer: Buffer = Buffer.alloc(0);
  private pending: Uint8Array[] = [];
  private startupDone = false;
  private inTransaction = false;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly db: PGlite,
    private readonly lock: SessionLock,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (data) => this.onData(data));
    socket.on('error', () => this.onClose());
    socket.on('close', () => this.onClose());
  }

  private onData(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    for (;;) {
      const message = this.nextMessage();
      if (!message) break;
      if (message === 'handled') continue;
      this.pending.push(message.bytes);
      if (message.endsUnit) {
        const unit = this.pending;
        this.pending = [];
        // Units of one connection run in order; the lock orders them against other connections.
        this.chain = this.chain.then(() => this.runUnit(unit)).catch(() => {
          this.socket.destroy();
        });
      }
    }
  }

  private nextMessage(): { bytes: Uint8Array; endsUnit: boolean } | 'handled' | null {
    const buf = this.buffer;
    if (!this.startupDone) {
      if (buf.length < 8) return null;
      const length = buf.readInt32BE(0);
      if (buf.length < length) return null;
      const code = buf.readInt32BE(4);
      this.buffer = buf.subarray(length);
      if (code === SSL_REQUEST_CODE) {
        this.socket.write('N');
        return 'handled';
      }
      if (code === CANCEL_REQUEST_CODE) {
        this.socket.end();
        return 'handled';
      }
      if (code !== PROTOCOL_V3) {
        this.socket.destroy();
        return 'handled';
      }
      this.startupDone = true;
      return { bytes: buf.subarray(0, length), endsUnit: true };
    }
    if (buf.length < 5) return null;
    const length = 1 + buf.readInt32BE(1);
    if (buf.length < length) return null;
    const type = String.fromCharCode(buf[0]!);
    this.buffer = buf.subarray(length);
    if (type === 'X') {
      this.socket.end();
      return 'handled';
    }
    return { bytes: buf.subarray(0, length), endsUnit: type === 'S' || type === 'Q' || type === 'H' };
  }

  private async runUnit(messages: Uint8Array[]): Promise<void> {
    await this.lock.acquire(this);
    try {
      // The last 6 bytes written decide the transaction state (a trailing ReadyForQuery).
      const out = { tail: Buffer.alloc(0) };
      for (const message of messages) {
        await this.db.runExclusive(() =>
          this.db.execProtocolRawStream(message, {
            onRawData: (chunk: Uint8Array) => {
              if (chunk.length === 0) return;
              const joined = chunk.length >= 6 ? Buffer.from(chunk) : Buffer.concat([out.tail, chunk]);
              out.tail = joined.subarray(Math.max(0, joined.length - 6));
              if (!this.closed) this.socket.write(chunk);
            },
          }),
        );
      }
      this.inTransaction = this.inTransactionAfter(out.tail);
    } finally {
      if (!this.inTransaction) this.lock.release(this);
    }
  }

  /** Keeps the previous state when the unit's output held no ReadyForQuery (a Flush). */
  private inTransactionAfter(tail: Uint8Array): boolean {
    const status = transactionStatusOf(tail);
    return status === null ? this.inTransaction : status !== 'I';
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.lock.forget(this);
    this.chain = this.chain.then(async () => {
      if (this.inTransaction) {
        // exec takes PGlite's query mutex itself (runExclusive around it would deadlock).
        await this.db.exec('ROLLBACK').catch(() => undefined);
        this.inTransaction = false;
      }
      this.lock.release(this);
    });
  }
}

/** The status byte of a trailing ReadyForQuery message ('Z', length 5, status), if any. */
function transactionStatusOf(tail: Uint8Array): 'I' | 'T' | 'E' | null {
  if (tail.length < 6) return null;
  const at = tail.length - 6;
  if (tail[at] !== 0x5a || tail[at + 4] !== 5) return null;
  const status = String.fromCharCode(tail[at + 5]!);
  return status === 'I' || status === 'T' || status === 'E' ? status : null;
}

export async function servePGlite(db: PGlite, opts: { host: string; port: number; maxConnections: number }): Promise<PGliteWireServer> {
  const lock = new SessionLock();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(socket, db, lock);
  });
  server.maxConnections = opts.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
