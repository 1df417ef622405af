import { createServer, type Server, type Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of the database that can lose the reply to one command: the server executes it, the
 * connection is cut before the driver sees the answer (what a connection reset, a crash after commit or a
 * failover looks like to the client). Only uncompressed OP_MSG (the driver's default) is inspected.
 */
export interface WireFaultProxy {
  uri: string;
  /** Cuts the connection instead of delivering the reply to the next `command` on `collection`. */
  loseNextReply(command: string, collection: string | RegExp): void;
  /** Replies lost so far. */
  lost: number;
  close(): Promise<void>;
}

const OP_MSG = 2013;

/** Reads whole wire messages out of a byte stream. */
function framer(onMessage: (msg: Buffer) => void) {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 4) {
      const len = buf.readInt32LE(0);
      if (buf.length < len) break;
      onMessage(buf.subarray(0, len));
      buf = buf.subarray(len);
    }
  };
}

/** The command name and its string argument (the collection) of an OP_MSG body, if it has that shape. */
function commandOf(msg: Buffer): { name: string; arg?: string } | undefined {
  if (msg.length < 26 || msg.readInt32LE(12) !== OP_MSG || msg[20] !== 0) return undefined;
  let p = 21 + 4; // section kind 0, then the BSON document's length
  const type = msg[p++];
  const end = msg.indexOf(0, p);
  const name = msg.toString('utf8', p, end);
  if (type !== 0x02) return { name };
  const len = msg.readInt32LE(end + 1);
  return { name, arg: msg.toString('utf8', end + 5, end + 4 + len) };
}

export async function startWireFaultProxy(targetUri: string): Promise<WireFaultProxy> {
  const target = new URL(targetUri.replace(/^mongodb:/, 'http:'));
  let armed: { command: string; collection: string | RegExp } | undefined;
  const sockets = new Set<Socket>();
  const proxy: WireFaultProxy = {
    uri: '',
    lost: 0,
    loseNextReply: (command, collection) => (armed = { command, collection }),
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    const doomed = new Set<number>(); // request ids whose replies are to be lost
    client.on(
      'data',
      framer((msg) => {
        const cmd = commandOf(msg);
        const named = (arg: string, c: string | RegExp) => (typeof c === 'string' ? arg === c : c.test(arg));
        if (armed && cmd?.name === armed.command && cmd.arg !== undefined && named(cmd.arg, armed.collection)) {
          doomed.add(msg.readInt32LE(4));
          armed = undefined;
        }
        upstream.write(msg);
      }),
    );
    upstream.on(
      'data',
      framer((msg) => {
        if (doomed.has(msg.readInt32LE(8))) {
          proxy.lost++;
          client.destroy();
          upstream.destroy();
          return;
        }
        client.write(msg);
      }),
    );
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  proxy.uri = `mongodb://127.0.0.1:${port}/?directConnection=true`;
  return proxy;
}
