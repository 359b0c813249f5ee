/**
 * Decodes the parts of an ONNX ModelProto the importer needs (onnx.proto field
 * numbers), with the wire-format reader: the graph's nodes and attributes, its
 * inputs' dims, and initializers' dims. Tensor payloads are kept as views and
 * decoded only on request (small constants such as a Reshape shape or Clip bounds).
 */
import { ProtobufReader, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './protobuf-reader.ts';

export interface OnnxTensor {
  name: string;
  dims: number[];
  dataType: number;
  raw?: Uint8Array;
  floatData: number[];
  int32Data: number[];
  int64Data: number[];
  doubleData: number[];
}

export interface OnnxAttribute {
  name: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensor;
  floats: number[];
  ints: number[];
}

export interface OnnxNode {
  inputs: string[];
  outputs: string[];
  name: string;
  opType: string;
  domain: string;
  attributes: Map<string, OnnxAttribute>;
}

/** A graph input's dims: a number, a symbolic name (e.g. 'batch'), or unknown. */
export type OnnxDim = number | string | undefined;

export interface OnnxValueInfo {
  name: string;
  /** Undefined when the input is not a tensor or has no shape. */
  dims?: OnnxDim[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: Map<string, OnnxTensor>;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  producerName: string;
  opsets: { domain: string; version: number }[];
  graph?: OnnxGraph;
}

export const ONNX_FLOAT = 1;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;
export const ONNX_DOUBLE = 11;

export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const r = new ProtobufReader(bytes);
  const model: OnnxModel = { irVersion: 0, producerName: '', opsets: [] };
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (field === 1 && wireType === WIRE_VARINT) model.irVersion = r.readVarint();
    else if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) model.producerName = r.readString();
    else if (field === 7 && wireType === WIRE_LENGTH_DELIMITED) model.graph = decodeGraph(r.readMessage());
    else if (field === 8 && wireType === WIRE_LENGTH_DELIMITED) model.opsets.push(decodeOpset(r.readMessage()));
    else r.skip(wireType);
  }
  return model;
}

function decodeOpset(r: ProtobufReader): { domain: string; version: number } {
  const opset = { domain: '', version: 0 };
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) opset.domain = r.readString();
    else if (field === 2 && wireType === WIRE_VARINT) opset.version = r.readVarint();
    else r.skip(wireType);
  }
  return opset;
}

function decodeGraph(r: ProtobufReader): OnnxGraph {
  const graph: OnnxGraph = { name: '', nodes: [], initializers: new Map(), inputs: [], outputs: [] };
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (wireType !== WIRE_LENGTH_DELIMITED) {
      r.skip(wireType);
      continue;
    }
    if (field === 1) graph.nodes.push(decodeNode(r.readMessage()));
    else if (field === 2) graph.name = r.readString();
    else if (field === 5) {
      const tensor = decodeTensor(r.readMessage());
      graph.initializers.set(tensor.name, tensor);
    } else if (field === 11) graph.inputs.push(decodeValueInfo(r.readMessage()));
    else if (field === 12) graph.outputs.push(decodeValueInfo(r.readMessage()));
    else r.skip(wireType);
  }
  return graph;
}

function decodeNode(r: ProtobufReader): OnnxNode {
  const node: OnnxNode = { inputs: [], outputs: [], name: '', opType: '', domain: '', attributes: new Map() };
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (wireType !== WIRE_LENGTH_DELIMITED) {
      r.skip(wireType);
      continue;
    }
    if (field === 1) node.inputs.push(r.readString());
    else if (field === 2) node.outputs.push(r.readString());
    else if (field === 3) node.name = r.readString();
    else if (field === 4) node.opType = r.readString();
    else if (field === 7) node.domain = r.readString();
    else if (field === 5) {
      const attribute = decodeAttribute(r.readMessage());
      node.attributes.set(attribute.name, attribute);
    } else r.skip(wireType);
  }
  return node;
}

function decodeAttribute(r: ProtobufReader): OnnxAttribute {
  const a: OnnxAttribute = { name: '', floats: [], ints: [] };
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) a.name = r.readString();
    else if (field === 2 && wireType === 5) a.f = r.readFixed32Float();
    else if (field === 3 && wireType === WIRE_VARINT) a.i = r.readVarint();
    else if (field === 4 && wireType === WIRE_LENGTH_DELIMITED) a.s = r.readBytes();
    else if (field === 5 && wireType === WIRE_LENGTH_DELIMITED) a.t = decodeTensor(r.readMessage());
    else if (field === 7) r.readRepeatedFloats(wireType, a.floats);
    else if (field === 8) r.readRepeatedVarints(wireType, a.ints);
    else r.skip(wireType); // graphs (If / Loop bodies), strings, sparse tensors: not needed
  }
  return a;
}

function decodeTensor(r: ProtobufReader): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dataType: 0, floatData: [], int32Data: [], int64Data: [], doubleData: [] };
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (field === 1) r.readRepeatedVarints(wireType, t.dims);
    else if (field === 2 && wireType === WIRE_VARINT) t.dataType = r.readVarint();
    else if (field === 4) r.readRepeatedFloats(wireType, t.floatData);
    else if (field === 5) r.readRepeatedVarints(wireType, t.int32Data);
    else if (field === 7) r.readRepeatedVarints(wireType, t.int64Data);
    else if (field === 8 && wireType === WIRE_LENGTH_DELIMITED) t.name = r.readString();
    else if (field === 9 && wireType === WIRE_LENGTH_DELIMITED) t.raw = r.readBytes();
    else if (field === 10 && wireType === 1) t.doubleData.push(r.readFixed64Double());
    else r.skip(wireType);
  }
  return t;
}

function decodeValueInfo(r: ProtobufReader): OnnxValueInfo {
  const info: OnnxValueInfo = { name: '' };
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) info.name = r.readString();
    else if (field === 2 && wireType === WIRE_LENGTH_DELIMITED) {
      const dims = decodeTypeDims(r.readMessage());
      if (dims !== undefined) info.dims = dims;
    } else r.skip(wireType);
  }
  return info;
}

/** TypeProto.tensor_type (1) → TypeProto.Tensor.shape (2) → TensorShapeProto.dim (1). */
function decodeTypeDims(r: ProtobufReader): OnnxDim[] | undefined {
  let dims: OnnxDim[] | undefined;
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) {
      const tensorType = r.readMessage();
      while (!tensorType.atEnd()) {
        const tag = tensorType.readTag();
        if (tag.field === 2 && tag.wireType === WIRE_LENGTH_DELIMITED) dims = decodeShape(tensorType.readMessage());
        else tensorType.skip(tag.wireType);
      }
    } else r.skip(wireType);
  }
  return dims;
}

function decodeShape(r: ProtobufReader): OnnxDim[] {
  const dims: OnnxDim[] = [];
  while (!r.atEnd()) {
    const { field, wireType } = r.readTag();
    if (field === 1 && wireType === WIRE_LENGTH_DELIMITED) {
      const dim = r.readMessage();
      let value: OnnxDim;
      while (!dim.atEnd()) {
        const tag = dim.readTag();
        if (tag.field === 1 && tag.wireType === WIRE_VARINT) value = dim.readVarint();
        else if (tag.field === 2 && tag.wireType === WIRE_LENGTH_DELIMITED) value = dim.readString();
        else dim.skip(tag.wireType);
      }
      dims.push(value);
    } else r.skip(wireType);
  }
  return dims;
}

/** The values of a small tensor as numbers (float, double, int32 or int64), or undefined for other types. */
export function tensorValues(t: OnnxTensor): number[] | undefined {
  if (t.raw !== undefined && t.raw.length > 0) {
    const view = new DataView(t.raw.buffer, t.raw.byteOffset, t.raw.byteLength);
    const size = t.dataType === ONNX_FLOAT || t.dataType === ONNX_INT32 ? 4 : t.dataType === ONNX_INT64 || t.dataType === ONNX_DOUBLE ? 8 : 0;
    if (size === 0 || t.raw.byteLength % size !== 0) return undefined;
    const values: number[] = [];
    for (let o = 0; o < t.raw.byteLength; o += size) {
      if (t.dataType === ONNX_FLOAT) values.push(view.getFloat32(o, true));
      else if (t.dataType === ONNX_INT32) values.push(view.getInt32(o, true));
      else if (t.dataType === ONNX_INT64) values.push(Number(view.getBigInt64(o, true)));
      else values.push(view.getFloat64(o, true));
    }
    return values;
  }
  switch (t.dataType) {
    case ONNX_FLOAT: return t.floatData;
    case ONNX_INT32: return t.int32Data;
    case ONNX_INT64: return t.int64Data;
    case ONNX_DOUBLE: return t.doubleData;
    default: return undefined;
  }
}
