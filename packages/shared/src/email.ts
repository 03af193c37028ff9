import { z } from 'zod';
import { LIMITS } from './limits.js';
import { textField } from './text.js';

// The WHATWG URL parser is a global in browsers and in Node alike; this package is compiled with neither
// one's type library, so it declares the one member it uses.
declare const URL: new (input: string) => { hostname: string };

/** local@domain with a dot in the domain and no spaces: what the contract calls an email address. */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const INVALID_EMAIL_MESSAGE = 'Please enter a valid email';

// Characters no address shows: controls, format characters (zero-width space, soft hyphen, bidi marks,
// BOM), the other default-ignorable ones (Hangul fillers, variation selectors), and lone surrogates,
// which UTF-8 cannot store.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cs}]/u;
// What may not appear in a domain name that is handed to the URL parser, which would read it as a
// port, a path, a user or a percent-escape rather than as part of the name.
const NOT_IN_DOMAIN = /[\s/?#:@\\%[\]]/u;
const ASCII = /^[\x21-\x7e]*$/;

/**
 * The one spelling of an address, so that two spellings of one mailbox are one account: NFC, lower
 * case, the domain in ASCII (IDNA, as DNS resolves it: `bücher.de` is `xn--bcher-kva.de`) without its
 * trailing dot. Undefined when the text holds an invisible or control character, or a local part that
 * NFKC would change (a ligature, a full-width letter), or a domain that cannot be a name: spellings that
 * only imitate another address. Text without an @ is returned lower-cased, for the shape check to refuse.
 */
export function normalizeEmail(value: string): string | undefined {
  const trimmed = value.trim();
  if (INVISIBLE_OR_CONTROL.test(trimmed)) return undefined;
  const text = trimmed.normalize('NFC').toLowerCase().normalize('NFC');
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const local = text.slice(0, at);
  // Refused rather than folded: a mail server compares the local part as it is, so folding `ﬁ` to
  // `fi` would store another mailbox than the one typed.
  if (local.normalize('NFKC') !== local) return undefined;
  const domain = domainToAscii(text.slice(at + 1));
  return domain === undefined ? undefined : `${local}@${domain}`;
}

function domainToAscii(typed: string): string | undefined {
  const domain = typed.endsWith('.') ? typed.slice(0, -1) : typed;
  if (domain === '' || domain.split('.').includes('')) return undefined;
  // An ASCII name is kept as typed (already lower-cased): IDNA would only validate it, and refusing
  // now what was accepted before would lock its owner out.
  if (ASCII.test(domain)) return domain;
  if (NOT_IN_DOMAIN.test(domain)) return undefined;
  try {
    // The URL parser's host step is IDNA (UTS #46): the same answer as node:url's domainToASCII.
    const { hostname } = new URL(`http://${domain}`);
    return ASCII.test(hostname) && hostname !== '' ? hostname : undefined;
  } catch {
    return undefined;
  }
}

/** Normalises, or reports the one sentence when the text can only imitate an address. */
function toNormalEmail(value: string, context: z.RefinementCtx): string {
  const normal = normalizeEmail(value);
  if (normal !== undefined) return normal;
  context.addIssue({ code: 'custom', message: INVALID_EMAIL_MESSAGE, input: value });
  return z.NEVER;
}

/** A new address (sign-up): normalised first (see normalizeEmail), so the checks see what is stored. */
export const emailSchema = textField(INVALID_EMAIL_MESSAGE, INVALID_EMAIL_MESSAGE)
  // What the API document shows: the checks below run on the normal form, which the input side hides.
  .meta({ format: 'email', maxLength: LIMITS.emailMax })
  .transform(toNormalEmail)
  .pipe(z.string().max(LIMITS.emailMax, INVALID_EMAIL_MESSAGE).regex(EMAIL_PATTERN, INVALID_EMAIL_MESSAGE));

/**
 * The address a person signs in with: "required" when missing or blank, then the sign-up rules, so
 * every spelling of an address finds the same account and counts against the same throttle, and an
 * address no account can have (60 KB of junk) is refused before it reaches the throttle or the audit log.
 */
export const signInEmailSchema = textField('Email is required', 'Email must be text')
  .trim()
  .min(1, 'Email is required')
  .pipe(emailSchema);
