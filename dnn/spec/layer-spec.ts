/**
 * A layer as the paper describes it, x_i = (l, k, s, p, n): type, kernel, stride,
 * padding, output channels; plus what a type needs (groups / depth multiplier for
 * depthwise, the producer layers for the two ends of a skip connection).
 *
 * Pure domain code: no I/O. Tensors are NHWC without the batch axis.
 */

/** Layer types the studio models. Conv, depthwise and FC carry MACCs (Eq. 4, 5). */
export type LayerType =
  | 'conv' // 2-D convolution, optional groups
  | 'depthwise' // depthwise 2-D convolution (groups = input channels)
  | 'fc' // fully connected (Dense)
  | 'maxpool'
  | 'avgpool'
  | 'gap' // global average pooling: HxWxC -> C
  | 'bn' // batch normalisation
  | 'activation' // relu, relu6, sigmoid, tanh, softmax, ...
  | 'flatten'
  | 'dropout'
  | 'add' // element-wise sum: the join of a skip connection
  | 'concat'; // channel concatenation

export const LAYER_TYPES: readonly LayerType[] = [
  'conv', 'depthwise', 'fc', 'maxpool', 'avgpool', 'gap', 'bn', 'activation', 'flatten', 'dropout', 'add', 'concat',
];

export type ActivationKind = 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' | 'linear' | 'elu' | 'selu' | 'softplus' | 'swish' | 'leakyrelu';

/**
 * Padding: a number of zero pixels on every side (0 = 'valid'), or 'same'
 * as TensorFlow defines it (output = ceil(input / stride), extra pixel at the end).
 */
export type Padding = number | 'same';

export interface LayerSpec {
  /** Unique within the model; other layers name it in `inputs`. */
  id: string;
  type: LayerType;
  /**
   * Producers of this layer's inputs, by id. Omitted: the previous layer in the
   * list (the model input for the first layer). `add` and `concat` list two or more.
   */
  inputs?: string[];
  /** Kernel size k (square), conv / depthwise / pooling. */
  kernel?: number;
  /** Stride s; defaults to 1 for conv and depthwise, to the kernel for pooling. */
  stride?: number;
  /** Padding p; defaults to 0 ('valid'). */
  padding?: Padding;
  /** Output channels n (conv) or units (fc). */
  outChannels?: number;
  /** Conv groups (1 = ordinary conv); input and output channels must divide by it. */
  groups?: number;
  /** Depthwise: output channels per input channel (default 1). */
  depthMultiplier?: number;
  /** Activation fused into conv / depthwise / fc, or the function of an `activation` layer. */
  activation?: ActivationKind;
  /** Conv / depthwise / fc: whether a bias is added (default true). */
  useBias?: boolean;
  /** Dropout rate. */
  rate?: number;
}

/** Input shape [height, width, channels]. */
export type InputShape = readonly [number, number, number];

/** A model: a DAG of layers listed in topological order (a chain is the common case). */
export interface ModelSpec {
  name: string;
  inputShape: InputShape;
  layers: LayerSpec[];
}

/** A tensor shape without the batch axis: [H, W, C] for feature maps, [N] for vectors. */
export type TensorShape = readonly number[];
