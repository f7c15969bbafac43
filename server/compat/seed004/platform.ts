// /api/platform: PhalApi's single entry point. The service comes in `service` or its short form `s`
// (PhalApi prefers `service`); each known service is a function of the parameters.
import { readParams, type Params } from '../params';
import { getMessageList } from './chat-messages';
import { errorResponse, okResponse, PhalApiException } from './envelope';

type Service = (req: Request, params: Params) => unknown;

const SERVICES: Record<string, Service> = {
  'Platform.ChatMessage.GetMessageList': getMessageList,
};

/**
 * The service named by the request, as PhalApi reads it: absent means its welcome service
 * `App.Site.Index`, and `Class.Action` means `App.Class.Action`.
 */
function serviceName(params: Params): string {
  const raw = params.service ?? params.s;
  if (raw === undefined || raw === '') return 'App.Site.Index';
  if (typeof raw !== 'string') throw new PhalApiException(400, `Bad Request: service (${String(raw)}) illegal`);
  return raw.split('.').length === 2 ? `App.${raw}` : raw;
}

export async function platform(req: Request): Promise<Response> {
  try {
    const params = await readParams(req);
    const service = serviceName(params);
    const parts = service.split('.');
    if (parts.length < 3 || parts.some((part) => part === '')) {
      throw new PhalApiException(400, `Bad Request: service (${service.slice(0, 100)}) illegal`);
    }
    const run = SERVICES[service];
    if (!run) throw new PhalApiException(404, `Bad Request: no such service as ${service.slice(0, 100)}`);
    return okResponse(await run(req, params));
  } catch (error) {
    return errorResponse(error);
  }
}
