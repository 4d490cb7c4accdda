import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between one tablet (a browser context) and the api, to cut its network for real:
 * - `open`: everything passes;
 * - `http-only`: pages and REST pass, socket.io connections are refused (and open ones dropped),
 *   so a page can be reloaded while its live connection stays down;
 * - `down`: every connection is dropped and refused.
 * `dropConnectionOnAck(marker)` cuts the live connection when the server's next frame holding
 * `marker` arrives, before the browser sees it: the ack of a stored write is lost, as on a real drop.
 */
export class CutProxy {
  private server: Server | null = null;
  private mode: 'open' | 'http-only' | 'down' = 'open';
  private readonly pairs = new Set<{ client: Socket; upstream: Socket; live: boolean }>();
  private ackMarker: Buffer | null = null;
  /** How many acks were swallowed by a cut. */
  ackDrops = 0;

  constructor(private readonly targetPort: number) {}

  async start(): Promise<string> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  private accept(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.mode === 'down') {
      client.destroy();
      return;
    }
    client.once('data', (first: Buffer) => {
      const live = first.subarray(0, 16).toString('latin1').startsWith('GET /socket.io/');
      if (this.mode === 'down' || (this.mode === 'http-only' && live)) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, '127.0.0.1');
      const pair = { client, upstream, live };
      this.pairs.add(pair);
      const drop = (): void => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', drop).on('close', drop);
      client.on('close', drop);
      upstream.write(first);
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        if (live && this.ackMarker && chunk.includes(this.ackMarker)) {
          this.ackMarker = null;
          this.ackDrops++;
          drop();
          return;
        }
        client.write(chunk);
      });
    });
  }

  setMode(mode: 'open' | 'http-only' | 'down'): void {
    this.mode = mode;
    for (const pair of [...this.pairs])
      if (mode === 'down' || (mode === 'http-only' && pair.live)) {
        this.pairs.delete(pair);
        pair.client.destroy();
        pair.upstream.destroy();
      }
  }

  dropConnectionOnAck(marker: string): void {
    this.ackMarker = Buffer.from(marker);
  }

  async stop(): Promise<void> {
    this.setMode('down');
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
