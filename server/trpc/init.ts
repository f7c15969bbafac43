// The only initTRPC of the app, and the procedure builders every router uses.
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { DomainError, ERROR_TABLE } from '../domain/errors';
import type { Context } from './context';
import { transformer } from './transformer';

const t = initTRPC.context<Context>().create({
  // superjson carries bigint message ids to the browser exactly (transformer.ts: its faster writer).
  transformer,
  errorFormatter({ shape, error }) {
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    // Input the schema refused: each issue where it is, for forms to show beside the field.
    const inputIssues =
      error.cause instanceof ZodError
        ? error.cause.issues.map((issue) => ({
            path: issue.path.map(String),
            code: issue.code,
            message: issue.message,
            minimum: 'minimum' in issue ? Number(issue.minimum) : undefined,
            maximum: 'maximum' in issue ? Number(issue.maximum) : undefined,
          }))
        : null;
    const message = inputIssues
      ? inputIssues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ')
      : internal
        ? 'internal error'
        : shape.message;
    return {
      ...shape,
      message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, inputIssues },
    };
  },
});

/** Domain errors become tRPC errors with the code ERROR_TABLE gives them. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof DomainError) {
      throw new TRPCError({ code: ERROR_TABLE[cause.code].trpc, message: cause.message, cause });
    }
    if (result.error.code === 'INTERNAL_SERVER_ERROR') console.error(result.error.cause ?? result.error);
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapDomainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in first' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});
