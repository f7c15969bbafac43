// Seed 003's two error envelopes. The lists answer as a Yii2 REST controller does,
// `{name, message, code, status}`; create and delete answer their own `{result: "error", message}`.
// Both carry the HTTP status ERROR_TABLE gives the domain's code.
import { ERROR_TABLE, toDomainError } from '../../domain/errors';
import { jsonResponse } from '../../rest/http';

/** The status texts Yii2 writes as an error's `name` (yii\web\Response::$httpStatuses). */
const YII_STATUS_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** What Yii2 says to a caller it refuses; the same words whatever the reason, so a refusal reveals nothing. */
export const NOT_ALLOWED = 'You are not allowed to perform this action.';

function statusAndMessage(error: unknown): { status: number; message: string } {
  const domainError = toDomainError(error);
  const status = ERROR_TABLE[domainError.code].http;
  // Yii2 in production hides a fault's text behind this sentence.
  const message = domainError.code === 'INTERNAL' ? 'An internal server error occurred.' : domainError.message;
  return { status, message };
}

/** Yii2's HttpBearerAuth answers a 401 with this challenge; its clients may look for it. */
function challenge(status: number): Record<string, string> {
  return status === 401 ? { 'www-authenticate': 'Bearer realm="api"' } : {};
}

export function yiiErrorResponse(error: unknown): Response {
  const { status, message } = statusAndMessage(error);
  return jsonResponse({ name: YII_STATUS_NAMES[status] ?? 'Error', message, code: 0, status }, status, challenge(status));
}

export function resultErrorResponse(error: unknown): Response {
  const { status, message } = statusAndMessage(error);
  return jsonResponse({ result: 'error', message }, status, challenge(status));
}

/** Runs a list handler (chat-records/list, chat-list), answering any error in Yii2's shape. */
export async function listRoute(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return yiiErrorResponse(error);
  }
}

/** Runs an action handler (create, delete), answering any error as `{result: "error", message}`. */
export async function actionRoute(handler: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    return resultErrorResponse(error);
  }
}
