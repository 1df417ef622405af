import type { Actor } from '../../domain/auth/actor.js';
import type { Services } from '../../domain/services.js';
import type { HttpContext } from '../http.js';

export interface RestDeps {
  services: Services;
  authenticate(ctx: HttpContext): Promise<Actor>;
  limits: { json: number; otlp: number };
}
