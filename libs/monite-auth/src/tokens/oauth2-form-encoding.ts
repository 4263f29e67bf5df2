/**
 * `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 Appendix B asks for
 * client credentials: UTF-8, every octet other than ALPHA / DIGIT / "*" / "-" / "." / "_"
 * percent-encoded, space as "+" (the WHATWG form serializer; `encodeURIComponent` alone leaves
 * `! ' ( ) ~` and writes space as %20).
 */
export function formUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** A form body from ordered fields, each name and value form-encoded. */
export function formBody(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([name, value]) => `${formUrlEncode(name)}=${formUrlEncode(value)}`).join('&');
}

/**
 * The HTTP Basic credentials of RFC 6749 2.3.1: `base64(urlencode(id) ":" urlencode(secret))`.
 * Encoding first is what lets a `:` inside the id or secret survive the split on the server.
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`, 'utf8').toString('base64');
}
