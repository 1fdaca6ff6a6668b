/**
 * The OpenAPI document lists every route the gateway's routers register, and nothing else: the
 * route list is read from the routers themselves (router.stack), so a route added without its
 * entry in gateway/docs/openapi.ts fails here.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type Router from '@koa/router';
import { loadConfig } from '../../shared/config.js';
import { createLogger } from '../../shared/logger.js';
import { gatewayRouters } from '../../gateway/app.js';
import type { GatewayDeps } from '../../gateway/gateway.deps.js';
import { buildOpenApiDocument, DOCUMENTED_ROUTES, toOpenApiPath } from '../../gateway/docs/openapi.js';
import { testCertsDir } from '../support/grpc-certs.js';

/** "METHOD /openapi/{path}" of every route registered on the routers (HEAD, implied by GET, left out). */
function registeredRoutes(routers: Router[]): string[] {
  const out = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack) {
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        out.add(`${method} ${toOpenApiPath(String(layer.path))}`);
      }
    }
  }
  return [...out].sort();
}

describe('OpenAPI document (gateway/docs/openapi.ts)', function () {
  this.timeout(30_000);
  let routes: string[];
  let document: ReturnType<typeof buildOpenApiDocument>;
  const redis = new Redis({ lazyConnect: true });

  before(async () => {
    // The health router builds gRPC clients over mutual TLS: it needs the install's certificates.
    const config = loadConfig({
      JWT_SECRET: 'x'.repeat(32),
      SANDBOX_WEBHOOK_SECRET: 'y'.repeat(32),
      GRPC_TLS_DIR: await testCertsDir(),
    });
    const deps = {
      config,
      log: createLogger('test', 'silent'),
      accounts: {},
      api: {},
      redis,
      queues: [],
      databaseProbes: {},
    } as unknown as GatewayDeps;
    routes = registeredRoutes(await gatewayRouters(deps));
    document = buildOpenApiDocument(config.PUBLIC_URL);
  });

  after(() => redis.disconnect());

  function documented(): string[] {
    return Object.entries(document.paths ?? {})
      .flatMap(([path, item]) =>
        Object.keys(item as object)
          .filter((k) => ['get', 'post', 'put', 'patch', 'delete'].includes(k))
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();
  }

  it('reads a non-trivial route list from the routers', () => {
    // Guards the walk itself: if router.stack changed shape, the comparison below would be empty.
    expect(routes).to.include.members([
      'POST /api/v1/streamers/{username}/donations',
      'POST /api/v1/webhooks/{provider}',
      'GET /metrics',
      'GET /docs',
    ]);
    expect(routes.length).to.be.greaterThan(20);
  });

  it('documents every registered route (method and path)', () => {
    const missing = routes.filter((r) => !documented().includes(r));
    expect(missing, 'routes without an entry in DOCUMENTED_ROUTES (gateway/docs/openapi.ts)').to.deep.equal(
      [],
    );
  });

  it('documents no route that no router registers', () => {
    const stale = documented().filter((r) => !routes.includes(r));
    expect(stale, 'entries in DOCUMENTED_ROUTES with no route').to.deep.equal([]);
    expect(DOCUMENTED_ROUTES.length).to.equal(documented().length);
  });

  it('is OpenAPI 3 with request schemas taken from the zod validators', () => {
    expect(document.openapi).to.match(/^3\./);
    const create = document.paths['/api/v1/streamers/{username}/donations']!.post!;
    const body = (
      create.requestBody as {
        content: Record<string, { schema: { properties: object; required?: string[] } }>;
      }
    ).content['application/json']!.schema;
    expect(body.properties).to.include.keys(
      'donorName',
      'amount',
      'currency',
      'message',
      'provider',
      'mediaUrl',
    );
    expect(body.required).to.include.members(['donorName', 'amount']);
    expect(Object.keys(create.responses)).to.include.members(['201', '202', '400']);
    const list = document.paths['/api/v1/me/donations']!.get!;
    expect((list.parameters ?? []).map((p) => (p as { name: string }).name)).to.include.members([
      'limit',
      'cursor',
      'status',
    ]);
  });
});
