/** Masks credentials in a URL (`?token=`, `?ticket=`) before it reaches a log line. */
export function maskUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&](?:token|ticket)=)[^&#]*/gi, '$1***');
}
