/**
 * Which frames may call the studio's IPC: only the app's own page, loaded from the
 * built renderer's index.html over file://, or from the dev server's origin when
 * one was given. Anything else (a navigated-away frame, an iframe from elsewhere) is refused.
 */
export class UntrustedSenderError extends Error {
  constructor(url: string | null) {
    super(`IPC refused: the sending frame ${url === null ? '(none)' : JSON.stringify(url)} is not the studio's own page`);
    this.name = 'UntrustedSenderError';
  }
}

export interface TrustedPages {
  /** file:// URL of the built renderer's index.html. */
  fileUrl: string;
  /** Origin of the Vite dev server (e.g. http://localhost:5173), when running from it. */
  devOrigin?: string;
}

export function isTrustedSender(senderUrl: string | null | undefined, trusted: TrustedPages): boolean {
  if (typeof senderUrl !== 'string' || senderUrl.length === 0) return false;
  let url: URL;
  try {
    url = new URL(senderUrl);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    const page = new URL(trusted.fileUrl);
    // Compare the path only: the query and fragment carry no authority.
    return url.host === '' && url.pathname === page.pathname;
  }
  if (trusted.devOrigin !== undefined) return url.origin === new URL(trusted.devOrigin).origin;
  return false;
}

export function assertTrustedSender(senderUrl: string | null | undefined, trusted: TrustedPages): void {
  if (!isTrustedSender(senderUrl, trusted)) throw new UntrustedSenderError(senderUrl ?? null);
}
