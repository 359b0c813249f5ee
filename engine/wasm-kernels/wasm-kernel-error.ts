/** A training kernel the studio registers on the WASM backend was called with inputs it does not handle. */
export class WasmKernelError extends Error {
  constructor(kernelName: string, problem: string) {
    super(`${kernelName} on the wasm backend: ${problem}`);
    this.name = 'WasmKernelError';
  }
}
