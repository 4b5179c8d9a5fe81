/**
 * Which host permissions a linked origin needs. Match patterns carry no port.
 * Linking asks for the host on both schemes, because the cookies API sees Secure
 * cookies only through https and a site may set cookies over either; talking to
 * the site needs at least its own scheme.
 */
export function hostPermissionPatterns(origin: string): string[] {
  const host = new URL(origin).hostname;
  return [`https://${host}/*`, `http://${host}/*`];
}

export function requiredPermissionPattern(origin: string): string {
  const u = new URL(origin);
  return `${u.protocol}//${u.hostname}/*`;
}
