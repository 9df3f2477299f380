/**
 * One TensorBoard event file: TFRecord-framed Event messages, the first one declaring
 * `file_version: "brain.Event:2"` as TensorFlow's EventsWriter does. Records are kept in
 * memory and appended to the file on `flush` (the callback flushes at every epoch end), so
 * adding a summary during training is only an encode; `close` flushes, fsyncs and closes.
 *
 * File name as TensorFlow 2 writes it:
 * `events.out.tfevents.<seconds, 10 digits>.<hostname>.<pid>.<n>.v2`, n a per-process counter
 * that keeps two writers opened in the same second in the same directory apart.
 */
import type { FileHandle } from 'node:fs/promises';
import type { NodeHost } from '../io/node_host.js';
import { tfrecordFrame } from '../io/tfrecord.js';
import { histogram } from './tensorboard_histogram.js';
import { DATA_CLASS_SCALAR, DT_FLOAT, DT_STRING, encodeEvent, type EventMessage, type SummaryValueMessage } from './tensorboard_proto.js';

let filesOpened = 0;

const utf8 = new TextEncoder();

export class EventFileWriter {
  readonly path: string;
  private pending: Uint8Array[] = [];
  private handle: FileHandle | null = null;

  constructor(
    private readonly host: NodeHost,
    readonly dir: string,
  ) {
    const now = Date.now();
    const secs = String(Math.floor(now / 1000)).padStart(10, '0');
    this.path = host.path.join(dir, `events.out.tfevents.${secs}.${host.os.hostname()}.${process.pid}.${filesOpened++}.v2`);
    this.add({ wallTime: now / 1000, step: 0, fileVersion: 'brain.Event:2' });
  }

  add(event: EventMessage): void {
    this.pending.push(tfrecordFrame(encodeEvent(event)));
  }

  private value(step: number, value: SummaryValueMessage): void {
    this.add({ wallTime: Date.now() / 1000, step, summary: { value: [value] } });
  }

  /**
   * A scalar in TensorFlow 2's form, as Keras writes it: a rank-0 float32 tensor tagged for the
   * "scalars" plugin (not the legacy `simple_value`, which TensorBoard converts to this).
   */
  scalar(tag: string, value: number, step: number): void {
    this.value(step, {
      tag,
      tensor: { dtype: DT_FLOAT, tensorShape: {}, floatVal: [value] },
      metadata: { pluginData: { pluginName: 'scalars' }, dataClass: DATA_CLASS_SCALAR },
    });
  }

  histogram(tag: string, values: ArrayLike<number>, step: number): void {
    this.value(step, { tag, histo: histogram(values) });
  }

  /** Keras's `keras_model_summary`: the model's JSON as a string tensor for the graph plugin. */
  kerasModel(tag: string, json: string, step: number): void {
    this.value(step, {
      tag,
      tensor: { dtype: DT_STRING, tensorShape: {}, stringVal: [utf8.encode(json)] },
      metadata: { pluginData: { pluginName: 'graph_keras_model', content: utf8.encode('1') } },
    });
  }

  /** Appends what was added since the last flush (creating the directory and file the first time). */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    const { fs } = this.host;
    if (!this.handle) {
      await fs.mkdir(this.dir, { recursive: true });
      this.handle = await fs.open(this.path, 'a');
    }
    let n = 0;
    for (const r of records) n += r.length;
    const bytes = new Uint8Array(n);
    let at = 0;
    for (const r of records) {
      bytes.set(r, at);
      at += r.length;
    }
    await this.handle.write(bytes);
  }

  async close(): Promise<void> {
    await this.flush();
    const h = this.handle;
    if (!h) return;
    this.handle = null;
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  }
}
