// Every page gets a Content-Security-Policy with a fresh nonce: Next marks its own scripts with it,
// so no script injected into a page (a message, a name, a file name) can run.
import { NextResponse, type NextRequest } from 'next/server';

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const dev = process.env.NODE_ENV !== 'production';
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // Inline style attributes (the virtualized list positions rows with them) cannot run script.
    "style-src 'self' 'unsafe-inline'",
    // Messages from the compatibility APIs may carry images and voice hosted elsewhere.
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob: https:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', policy);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
}

export const config = {
  // Pages only: the APIs answer JSON and files, and keep their own headers.
  matcher: ['/((?!api/|im/|chat-records/|file/|_next/static|_next/image|demo/|favicon.ico).*)'],
};
