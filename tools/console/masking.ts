/**
 * What the console shows passes through here first. Support staff read
 * execution inputs, task parameters, error causes and domain events, and none
 * of those may carry a payment token or a credential onto a screen (or a
 * screenshot). The purchase record is already an allow-list (tools/ops), but
 * history and events are free-form JSON, so they are masked by shape.
 */

export const MASK = '***';

/** Keys whose value is a secret whatever it looks like: paymentToken, taskToken, authorization, cardNumber... */
const SECRET_KEY = /token|secret|password|passphrase|authorization|credential|card.?number|^cvc$|^cvv$|^pan$/i;

/**
 * Secrets inside free text: the simulated provider's payment tokens
 * ("tok_approve"; a masked reference such as "tok_…rove" does not match) and
 * JWTs (three base64url parts, the first two JSON objects).
 */
const SECRET_IN_TEXT = /\btok_[A-Za-z0-9_]+|\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

export const maskText = (text: string): string => text.replace(SECRET_IN_TEXT, MASK);

const parseJson = (text: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/**
 * Step Functions nests JSON in strings (an error's Cause inside a state's
 * output): such a string is masked as JSON too, and rewritten only when that
 * masked something, so other strings keep their exact text.
 */
const maskString = (text: string): string => {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const parsed = parseJson(text);
    if (parsed.ok) {
      const masked = maskValue(parsed.value);
      if (JSON.stringify(masked) !== JSON.stringify(parsed.value)) return JSON.stringify(masked);
    }
  }
  return maskText(text);
};

/** A deep copy with every secret-named field and every secret-looking string replaced by "***". */
export const maskValue = (value: unknown): unknown => {
  if (typeof value === 'string') return maskString(value);
  if (Array.isArray(value)) return value.map(maskValue);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, isSecretKey(key) ? MASK : maskValue(field)]));
  }
  return value;
};

/** An object's fields, masked one by one (a record keeps its shape: only values change). */
export const maskFields = (fields: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).map(([key, field]) => [key, isSecretKey(key) ? MASK : maskValue(field)]));

/**
 * History events carry inputs and outputs as JSON text: masked as JSON (so a
 * `paymentToken` key is caught whatever its value), then pretty-printed for
 * reading. Text that is not JSON is masked as text.
 */
export const maskJsonText = (text: string): string => {
  const parsed = parseJson(text);
  return parsed.ok ? JSON.stringify(maskValue(parsed.value), null, 2) : maskText(text);
};
