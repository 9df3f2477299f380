/**
 * The protocol-buffer messages of a TensorBoard event file (tensorboard/compat/proto:
 * event.proto, summary.proto, tensor.proto, tensor_shape.proto, histogram.proto), only the
 * fields hebb writes, declared with protobufjs's reflection API (its light build: no .proto
 * parser, no network, no generated code checked in). Field numbers and types are those of
 * the .proto files; field names are camelCase, which only the JavaScript side sees.
 */
import protobuf from 'protobufjs/light.js';

/** TensorFlow's DataType enum values used here (types.proto). */
export const DT_FLOAT = 1;
export const DT_STRING = 7;
/** SummaryMetadata.DataClass (summary.proto). */
export const DATA_CLASS_SCALAR = 1;

const root = protobuf.Root.fromJSON({
  nested: {
    tensorboard: {
      nested: {
        Event: {
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
                histo: { type: 'HistogramProto', id: 5 },
                tensor: { type: 'TensorProto', id: 8 },
                metadata: { type: 'SummaryMetadata', id: 9 },
              },
            },
          },
        },
        SummaryMetadata: {
          fields: {
            pluginData: { type: 'PluginData', id: 1 },
            displayName: { type: 'string', id: 2 },
            summaryDescription: { type: 'string', id: 3 },
            dataClass: { type: 'int32', id: 4 },
          },
          nested: {
            PluginData: {
              fields: {
                pluginName: { type: 'string', id: 1 },
                content: { type: 'bytes', id: 2 },
              },
            },
          },
        },
        HistogramProto: {
          fields: {
            min: { type: 'double', id: 1 },
            max: { type: 'double', id: 2 },
            num: { type: 'double', id: 3 },
            sum: { type: 'double', id: 4 },
            sumSquares: { type: 'double', id: 5 },
            bucketLimit: { rule: 'repeated', type: 'double', id: 6, options: { packed: true } },
            bucket: { rule: 'repeated', type: 'double', id: 7, options: { packed: true } },
          },
        },
        TensorProto: {
          fields: {
            dtype: { type: 'int32', id: 1 },
            tensorShape: { type: 'TensorShapeProto', id: 2 },
            floatVal: { rule: 'repeated', type: 'float', id: 5, options: { packed: true } },
            stringVal: { rule: 'repeated', type: 'bytes', id: 8 },
          },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dim', id: 2 } },
          nested: { Dim: { fields: { size: { type: 'int64', id: 1 } } } },
        },
      },
    },
  },
});

const EventType = root.lookupType('tensorboard.Event');

export interface HistogramMessage {
  min: number;
  max: number;
  num: number;
  sum: number;
  sumSquares: number;
  /** Right edge of each bucket (TensorBoard takes `min` as the first left edge). */
  bucketLimit: number[];
  bucket: number[];
}

export interface TensorMessage {
  dtype: number;
  /** Omitted dims: a scalar (rank 0). */
  tensorShape: { dim?: { size: number }[] };
  floatVal?: number[];
  stringVal?: Uint8Array[];
}

export interface SummaryValueMessage {
  tag: string;
  simpleValue?: number;
  histo?: HistogramMessage;
  tensor?: TensorMessage;
  metadata?: { pluginData?: { pluginName: string; content?: Uint8Array }; dataClass?: number };
}

export interface EventMessage {
  /** Seconds since the epoch. */
  wallTime: number;
  step: number;
  fileVersion?: string;
  summary?: { value: SummaryValueMessage[] };
}

/** An Event's wire bytes. */
export function encodeEvent(event: EventMessage): Uint8Array {
  return EventType.encode(EventType.fromObject(event)).finish();
}
