/**
 * Test-side gRPC probes: server reflection (what grpcurl list does) and grpc.health.v1, with the
 * credentials given (the operator's certificate, like the README's grpcurl flags, or anything
 * a test wants refused). Servers are dialled as `localhost`, the name grpcurl checks.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { loadPackageDefinition } from '../../shared/grpc.js';

const require = createRequire(import.meta.url);
const REFLECTION_PROTO = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');

/** Dialled as grpcurl dials `localhost:<port>`: the server certificate must name localhost. */
const AS_LOCALHOST: grpc.ClientOptions = { 'grpc.ssl_target_name_override': 'localhost' };

/** Lists the services a server exposes through grpc.reflection.v1 (like `grpcurl list`). */
export async function listServices(addr: string, credentials: grpc.ChannelCredentials): Promise<string[]> {
  const def = protoLoader.loadSync('grpc/reflection/v1/reflection.proto', {
    includeDirs: [REFLECTION_PROTO],
    keepCase: true,
  });
  const pkg = grpc.loadPackageDefinition(def) as unknown as {
    grpc: {
      reflection: {
        v1: {
          ServerReflection: new (
            a: string,
            c: grpc.ChannelCredentials,
            o: grpc.ClientOptions,
          ) => grpc.Client & {
            ServerReflectionInfo: () => grpc.ClientDuplexStream<
              unknown,
              { list_services_response?: { service: { name: string }[] } }
            >;
          };
        };
      };
    };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(addr, credentials, AS_LOCALHOST);
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const call = client.ServerReflectionInfo();
      call.on('data', (res: { list_services_response?: { service: { name: string }[] } }) => {
        resolve((res.list_services_response?.service ?? []).map((s) => s.name));
        call.end();
      });
      call.on('error', reject);
      call.write({ list_services: '' });
    });
  } finally {
    client.close();
  }
}

/** grpc.health.v1 Check of one service name ('' = the server). */
export async function healthStatus(
  addr: string,
  service: string,
  credentials: grpc.ChannelCredentials,
): Promise<string> {
  const pkg = grpc.loadPackageDefinition(loadPackageDefinition()) as unknown as {
    grpc: {
      health: {
        v1: {
          Health: new (
            a: string,
            c: grpc.ChannelCredentials,
            o: grpc.ClientOptions,
          ) => grpc.Client & {
            Check: (
              req: { service: string },
              opts: grpc.CallOptions,
              cb: (err: grpc.ServiceError | null, res?: { status: string }) => void,
            ) => void;
          };
        };
      };
    };
  };
  const client = new pkg.grpc.health.v1.Health(addr, credentials, AS_LOCALHOST);
  try {
    return await new Promise<string>((resolve, reject) =>
      client.Check({ service }, { deadline: Date.now() + 3000 }, (err, res) =>
        err ? reject(err) : resolve(res?.status ?? ''),
      ),
    );
  } finally {
    client.close();
  }
}
