import { Agent, request } from 'node:http';

/**
 * Posts pre-built bodies round-robin over `concurrency` keep-alive connections until `seconds` pass;
 * the shared loop of the load processes. Returns how many requests got 200 and how many did not.
 */
export async function postLoop(opts: {
  url: URL;
  key: string;
  contentType: string;
  bodies: Buffer[];
  seconds: number;
  concurrency: number;
}): Promise<{ ok: number; failed: number; sent: number; elapsed: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const post = (body: Buffer) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        opts.url,
        { method: 'POST', agent, headers: { 'content-type': opts.contentType, 'content-length': body.length, 'x-portkey-api-key': opts.key } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let ok = 0;
  let failed = 0;
  let sent = 0;
  const started = Date.now();
  const deadline = started + opts.seconds * 1000;
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (Date.now() < deadline) {
        const status = await post(opts.bodies[sent++ % opts.bodies.length]!);
        if (status === 200) ok++;
        else failed++;
      }
    }),
  );
  agent.destroy();
  return { ok, failed, sent, elapsed: (Date.now() - started) / 1000 };
}
