import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { Role } from '@liexi/contracts';
import { PUBLIC_KEY, ROLES_KEY } from '@liexi/platform';
import {
  GATEWAY_METADATA,
  GATEWAY_OPTIONS,
  MESSAGE_MAPPING_METADATA,
  MESSAGE_METADATA,
} from '@nestjs/websockets/constants';
import type { SocketRoute } from '../../../apps/api/src/live/socket-router';

/** One HTTP operation as the app serves it, with the policy its handler declares. */
export interface DiscoveredRoute {
  /** "POST /api/meetings/:id/open" */
  key: string;
  method: string;
  path: string;
  /** 'public', the roles named by @Roles, or null when the handler declares nothing. */
  policy: 'public' | Role[] | null;
}

const join = (...parts: (string | undefined)[]): string =>
  `/${parts
    .flatMap((p) => (p ?? '').split('/'))
    .filter((p) => p !== '')
    .join('/')}`;

const asList = (p: unknown): string[] =>
  Array.isArray(p) ? (p as string[]) : [typeof p === 'string' ? p : ''];

/** Every controller method of every module of the running app (as the router registered them). */
export function discoverHttpRoutes(app: INestApplication, prefix = 'api'): DiscoveredRoute[] {
  const routes: DiscoveredRoute[] = [];
  const seen = new Set<unknown>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new () => object) | null;
      if (!ctrl || seen.has(ctrl)) continue;
      seen.add(ctrl);
      const proto = ctrl.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
        if (method === undefined || paths === undefined) continue;
        const isPublic =
          Reflect.getMetadata(PUBLIC_KEY, handler) === true || Reflect.getMetadata(PUBLIC_KEY, ctrl) === true;
        const roles = (Reflect.getMetadata(ROLES_KEY, handler) ?? Reflect.getMetadata(ROLES_KEY, ctrl)) as
          Role[] | undefined;
        for (const base of asList(Reflect.getMetadata(PATH_METADATA, ctrl)))
          for (const sub of asList(paths)) {
            const path = join(prefix, base, sub);
            const verb = RequestMethod[method];
            routes.push({
              key: `${verb} ${path}`,
              method: verb,
              path,
              policy: isPublic ? 'public' : (roles ?? null),
            });
          }
      }
    }
  }
  return routes.sort((a, b) => a.key.localeCompare(b.key));
}

export interface DiscoveredEvent {
  /** "/live input.submit" */
  key: string;
  namespace: string;
  event: string;
  roles: readonly Role[];
}

/**
 * Every socket event of every gateway in the app: a gateway answers through its SocketRouter's
 * route table (roles per event). A gateway without one, or a @SubscribeMessage handler (which
 * would bypass the table's role check), is reported with `roles` empty under `<no policy>`.
 */
export function discoverSocketEvents(app: INestApplication): DiscoveredEvent[] {
  const events: DiscoveredEvent[] = [];
  const seen = new Set<unknown>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.providers.values()) {
      const type = wrapper.metatype as (new () => object) | null;
      if (!type || seen.has(type) || Reflect.getMetadata(GATEWAY_METADATA, type) !== true) continue;
      seen.add(type);
      const options = (Reflect.getMetadata(GATEWAY_OPTIONS, type) ?? {}) as { namespace?: string };
      const namespace = options.namespace ?? '/';
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const fn = proto[name];
        if (typeof fn === 'function' && Reflect.getMetadata(MESSAGE_MAPPING_METADATA, fn) === true)
          events.push({
            key: `${namespace} <no policy: @SubscribeMessage ${String(Reflect.getMetadata(MESSAGE_METADATA, fn))}>`,
            namespace,
            event: String(Reflect.getMetadata(MESSAGE_METADATA, fn)),
            roles: [],
          });
      }
      const router = (wrapper.instance as { router?: { routes?: Record<string, SocketRoute> } } | null)
        ?.router;
      if (!router?.routes) {
        events.push({ key: `${namespace} <no policy: no route table>`, namespace, event: '', roles: [] });
        continue;
      }
      for (const [event, route] of Object.entries(router.routes))
        events.push({ key: `${namespace} ${event}`, namespace, event, roles: route.roles });
    }
  }
  return events.sort((a, b) => a.key.localeCompare(b.key));
}
