/** Short constructors for the layer specs of the built-in models. */
import type { LayerSpec, Padding } from '../spec/layer-spec.ts';

export interface ConvOptions {
  inputs?: string[];
  /** Default true; false where a bn follows and its beta makes a bias redundant. */
  useBias?: boolean;
}

export function conv(id: string, outChannels: number, kernel: number, stride: number, padding: Padding, options: ConvOptions = {}): LayerSpec {
  const { inputs, useBias } = options;
  return { id, type: 'conv', kernel, stride, padding, outChannels, ...(useBias === false ? { useBias } : {}), ...(inputs ? { inputs } : {}) };
}

export function bn(id: string, inputs?: string[]): LayerSpec {
  return { id, type: 'bn', ...(inputs ? { inputs } : {}) };
}

export function relu(id: string, inputs?: string[]): LayerSpec {
  return { id, type: 'activation', activation: 'relu', ...(inputs ? { inputs } : {}) };
}

export function maxpool(id: string, kernel: number, stride: number, padding: Padding): LayerSpec {
  return { id, type: 'maxpool', kernel, stride, padding };
}

export function fc(id: string, outChannels: number): LayerSpec {
  return { id, type: 'fc', outChannels };
}
