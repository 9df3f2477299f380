/**
 * Layers by class name, for configs: `serializeLayer(layer)` gives `{className, config}`,
 * `deserializeLayer({className, config})` rebuilds it through the class's `fromConfig`. Custom
 * layers are passed in `customObjects` (nothing registers itself on import).
 */
import { ValueError, fmtReceived } from '../core/errors.js';
import { checkOptions, type OptionKeys } from '../core/options.js';
import { Activation } from './activation.js';
import { Add } from './add.js';
import { BatchNormalization } from './batch_normalization.js';
import { Concatenate } from './concatenate.js';
import { Dense } from './dense.js';
import { AlphaDropout, Dropout } from './dropout.js';
import { ELU } from './elu.js';
import { Flatten } from './flatten.js';
import { GaussianDropout, GaussianNoise } from './gaussian_noise.js';
import { InputLayer } from './input.js';
import { LeakyReLU } from './leaky_relu.js';
import { Normalization } from './normalization.js';
import { PReLU } from './prelu.js';
import { Reshape } from './reshape.js';
import type { Layer, LayerConfig } from './layer.js';

export interface SerializedLayer {
  className: string;
  config: LayerConfig;
}

/** What deserializeLayer needs from a class: a static fromConfig. */
export interface LayerClass {
  fromConfig(config: LayerConfig): Layer;
}

const BUILT_IN: Readonly<Record<string, LayerClass>> = {
  Activation,
  Add,
  AlphaDropout,
  BatchNormalization,
  Concatenate,
  Dense,
  Dropout,
  ELU,
  Flatten,
  GaussianDropout,
  GaussianNoise,
  InputLayer,
  LeakyReLU,
  Normalization,
  PReLU,
  Reshape,
};

/** The class names deserializeLayer knows without customObjects (saveKeras marks others as custom). */
export function builtInLayerClasses(): string[] {
  return Object.keys(BUILT_IN);
}

export function serializeLayer(layer: Layer): SerializedLayer {
  return { className: layer.className, config: layer.getConfig() };
}

export interface DeserializeLayerOptions {
  /** User layer classes by class name, for configs that name them. */
  customObjects?: Readonly<Record<string, LayerClass>>;
}

export const DESERIALIZE_LAYER_OPTIONS: OptionKeys<DeserializeLayerOptions> = { customObjects: true };

export function deserializeLayer(json: SerializedLayer, options: DeserializeLayerOptions = {}): Layer {
  checkOptions('deserializeLayer', options, DESERIALIZE_LAYER_OPTIONS);
  if (typeof json !== 'object' || json === null || typeof json.className !== 'string') {
    throw new ValueError(`deserializeLayer: expected {className, config}, received ${fmtReceived(json)}`);
  }
  const custom = options.customObjects ?? {};
  const cls = Object.prototype.hasOwnProperty.call(custom, json.className)
    ? custom[json.className]
    : Object.prototype.hasOwnProperty.call(BUILT_IN, json.className)
      ? BUILT_IN[json.className]
      : undefined;
  if (!cls) {
    throw new ValueError(
      `deserializeLayer: unknown layer class "${json.className}"${typeof json.config?.['name'] === 'string' ? ` (layer "${json.config['name']}")` : ''}; built-in classes are ${Object.keys(BUILT_IN).join(', ')} (pass others in customObjects)`,
    );
  }
  return cls.fromConfig(json.config ?? {});
}
