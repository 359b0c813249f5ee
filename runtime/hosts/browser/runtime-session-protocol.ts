/**
 * The calls between the runtime page and the studio's runtime session server (pure, shared
 * by both). The page lives at /runtime/?session=ID&token=T&count=N; the bundle under
 * /runtime/bundle/, the images at /runtime/images.f32; timelines go back to the collector.
 */
export const RUNTIME_BASE_PATH = '/runtime/';
export const RUNTIME_TOKEN_HEADER = 'x-edgetree-runtime-token';

export type RuntimeSessionCall = 'timeline' | 'error' | 'done' | 'start';

export function runtimeSessionPath(session: string, call: RuntimeSessionCall): string {
  return `${RUNTIME_BASE_PATH}session/${session}/${call}`;
}

export interface RuntimePageErrorReport {
  message: string;
}
