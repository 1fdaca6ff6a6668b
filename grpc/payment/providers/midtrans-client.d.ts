/** Minimal typings of the parts of `midtrans-client` (1.4.x, plain JS) that MediaShar uses. */
declare module 'midtrans-client' {
  interface Options {
    isProduction: boolean;
    serverKey: string;
    clientKey?: string;
  }
  interface ApiConfig {
    getCoreApiBaseUrl(): string;
    getSnapApiBaseUrl(): string;
  }
  interface Transactions {
    status(orderId: string): Promise<Record<string, unknown>>;
    refund(orderId: string, parameter: Record<string, unknown>): Promise<Record<string, unknown>>;
  }
  export class Snap {
    constructor(options: Options);
    apiConfig: ApiConfig;
    transaction: Transactions;
    createTransaction(parameter: Record<string, unknown>): Promise<{ token: string; redirect_url: string }>;
  }
  export class CoreApi {
    constructor(options: Options);
    apiConfig: ApiConfig;
    transaction: Transactions;
    charge(parameter: Record<string, unknown>): Promise<Record<string, unknown>>;
  }
  export class MidtransError extends Error {
    httpStatusCode: number | null;
    ApiResponse: unknown;
  }
  const midtransClient: { Snap: typeof Snap; CoreApi: typeof CoreApi; MidtransError: typeof MidtransError };
  export default midtransClient;
}
