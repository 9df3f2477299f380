/**
 * XOR with a 2-4-1 network (tanh hidden layer, sigmoid output), trained by full-batch gradient
 * descent written by hand: valueAndGrad for the gradients, Variable.assign for the update.
 * Run: node dist/examples/xor.js
 */
import { pathToFileURL } from 'node:url';
import * as hb from '../src/index.js';

export interface XorResult {
  loss: number;
  accuracy: number;
  predictions: number[];
}

export function trainXor(epochs = 1000, learningRate = 1, log: (line: string) => void = () => {}): XorResult {
  const x = hb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = hb.tensor([[0], [1], [1], [0]]);
  // Seeded uniform init in [-1, 1): the same weights, hence the same run, every time.
  const init = (shape: number[], seed: number): hb.Variable =>
    hb.scope(() => hb.variable(hb.randomUniform(shape, { minval: -1, maxval: 1, seed })));
  const zeros = (shape: number[]): hb.Variable => hb.scope(() => hb.variable(hb.zeros(shape)));
  const params = [init([2, 4], 1), zeros([4]), init([4, 1], 2), zeros([1])];
  const [w1, b1, w2, b2] = params as [hb.Variable, hb.Variable, hb.Variable, hb.Variable];

  const logits = (): hb.Tensor => hb.add(hb.matmul(hb.tanh(hb.add(hb.matmul(x, w1), b1)), w2), b2);
  // Binary cross-entropy on logits z: softplus(z) - y z, stable for any z.
  const loss = (): hb.Tensor => {
    const z = logits();
    return hb.mean(hb.sub(hb.softplus(z), hb.mul(y, z)));
  };
  const evaluate = (): XorResult =>
    hb.scope(() => {
      const p = hb.sigmoid(logits());
      const correct = hb.equal(hb.greater(p, 0.5), hb.greater(y, 0.5));
      const accuracy = hb.mean(hb.cast(correct, 'float32')).item();
      return { loss: loss().item(), accuracy, predictions: Array.from(p.dataSync()) };
    });

  for (let epoch = 1; epoch <= epochs; epoch++) {
    hb.scope(() => {
      const { grads } = hb.valueAndGrad(loss, params);
      params.forEach((p, i) => p.assign(hb.sub(p, hb.mul(grads[i]!, learningRate))));
    });
    if (epoch % 200 === 0) {
      const r = evaluate();
      log(`epoch ${epoch}: loss ${r.loss.toFixed(4)}, accuracy ${(r.accuracy * 100).toFixed(0)}%`);
    }
  }
  const result = evaluate();
  hb.dispose([x, y, params]);
  return result;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = trainXor(1000, 1, console.log);
  console.log(`predictions: ${r.predictions.map((p) => p.toFixed(3)).join(', ')}`);
  console.log(`final loss ${r.loss.toFixed(4)}, accuracy ${(r.accuracy * 100).toFixed(0)}%`);
}
