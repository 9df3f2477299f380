/**
 * Small helpers shared by the layers: unwrapping single inputs and shapes with an error that
 * names the layer.
 */
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { isShapeList } from './layer.js';
import type { SymbolicShape } from './symbolic.js';

/** The one input of a single-input layer (a one-element array is accepted, as in Keras). */
export function singleInput(inputs: Tensor | readonly Tensor[], who: string): Tensor {
  if (!Array.isArray(inputs)) return inputs as Tensor;
  if (inputs.length !== 1) throw new ValueError(`${who} expects one input, received ${inputs.length}`);
  return inputs[0] as Tensor;
}

/** The one input shape of a single-input layer. */
export function singleShape(shape: SymbolicShape | readonly SymbolicShape[], who: string): SymbolicShape {
  if (!isShapeList(shape)) return shape;
  if (shape.length !== 1) throw new ValueError(`${who} expects one input, received ${shape.length}`);
  return shape[0] as SymbolicShape;
}

/** The input shapes of a layer that merges several inputs (Concatenate, Add). */
export function shapeList(shape: SymbolicShape | readonly SymbolicShape[], who: string, min = 2): readonly SymbolicShape[] {
  if (!isShapeList(shape) || shape.length < min) {
    throw new ValueError(`${who} expects a list of at least ${min} inputs, received ${isShapeList(shape) ? `${shape.length}` : 'one input'}`);
  }
  return shape;
}
