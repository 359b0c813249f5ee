/**
 * Browser mode: the studio's services over a loopback HTTP server, for machines
 * where Electron's binary is not installed. The returned URL carries the launch token.
 */
import { createStudioServices } from '../services/studio-services.ts';
import { startStudioHttpServer } from './studio-http-server.ts';

export interface BrowserServer {
  url: string;
  token: string;
  close(): Promise<void>;
}

export async function startBrowserServer(opts: { home: string; port?: number; staticDir: string }): Promise<BrowserServer> {
  const services = createStudioServices({ home: opts.home, mode: 'browser' });
  try {
    const server = await startStudioHttpServer(services, { staticDir: opts.staticDir, ...(opts.port !== undefined && { port: opts.port }) });
    return {
      url: server.url,
      token: server.token,
      close: async () => {
        try {
          await server.close();
        } finally {
          services.close();
        }
      },
    };
  } catch (err) {
    services.close();
    throw err;
  }
}
