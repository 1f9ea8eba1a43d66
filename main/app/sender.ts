// IPC is answered only for the app's own window, its top frame, showing the app's own page. A
// frame that navigated elsewhere, an iframe or any other webContents gets 'forbidden'.
import { isAppUrl } from './origins.js';

/** The parts of Electron's IpcMainInvokeEvent this check reads. */
export interface InvokeEventLike {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

export function isTrustedSender(event: InvokeEventLike, mainContents: () => unknown): boolean {
  const contents = mainContents();
  if (contents === undefined || contents === null || event.sender !== contents) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}
