// `nestjs-monite-auth/swagger`: the guard's rules in an app's OpenAPI document, for apps that use
// @nestjs/swagger. The main entry never loads this file, so @nestjs/swagger stays an optional peer.
export { applyMoniteSwagger } from './apply-monite-swagger.js';
