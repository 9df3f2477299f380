/**
 * Every public op, called with arguments of the wrong kind (strings, objects, null, wrong rank,
 * wrong dtype, bad axes), raises a HebbError subclass in its own name (the message starts with
 * the op the user called, not an internal primitive's) that names the argument. The table must
 * list every function the op modules export, so a new op without cases fails here.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as hb from '../index.js';
import * as creation from './creation.js';
import * as elementwise from './elementwise.js';
import * as reduce from './reduce.js';
import * as movement from './movement.js';
import * as linalg from './linalg.js';
import * as nn from './nn.js';
import * as random from './random.js';
import '../../test/helpers.js';

/** What an untyped caller can pass: any value, typed as whatever the parameter wants. */
const L = <T>(v: unknown): T => v as T;

/** [fragment the message must contain after the op's name, the call]. */
type Case = [string, () => unknown];

function cases(): Record<string, Case[]> {
  const f = hb.tensor([[1, 2], [3, 4]]);
  const f64 = hb.tensor([[1, 2], [3, 4]], [2, 2], 'float64');
  const i = hb.tensor([[1, 2], [3, 4]], [2, 2], 'int32');
  const b = hb.tensor([[true, false], [false, true]]);
  const s = hb.scalar(1);
  const v3 = hb.tensor([1, 2, 3]);
  const idx = hb.tensor([0, 1], [2], 'int32');
  const dead = hb.tensor([1]);
  dead.dispose();

  const tensorKinds = (call: (x: unknown) => unknown, name = 'x'): Case[] => [
    [name, () => call('abc')],
    [name, () => call({})],
    [name, () => call(null)],
    [name, () => call([1, 2])],
    [name, () => call(dead)],
  ];
  const numericUnary = (fn: (x: hb.Tensor) => hb.Tensor): Case[] => [...tensorKinds((x) => fn(L(x))), ['bool', () => fn(b)]];
  const floatUnary = (fn: (x: hb.Tensor) => hb.Tensor): Case[] => [...numericUnary(fn), ['int32', () => fn(i)]];
  const arith = (fn: (a: hb.Tensor, b: hb.Tensor) => hb.Tensor): Case[] => [
    ...tensorKinds((x) => fn(L(x), f), 'a'),
    ...tensorKinds((x) => fn(f, L(x)), 'b'),
    ['same dtype', () => fn(f, f64)],
    ['cannot be broadcast', () => fn(f, v3)],
    ['bool', () => fn(b, b)],
    // div(int32, 0.5) is true division, so it is fine there.
    ...(fn === hb.div ? [] : ([['not an int32', () => fn(i, L(0.5))]] as Case[])),
  ];
  const compare = (fn: (a: hb.Tensor, b: hb.Tensor) => hb.Tensor): Case[] => [
    ...tensorKinds((x) => fn(L(x), f), 'a'),
    ['b', () => fn(f, L('1'))],
    ['same dtype', () => fn(i, f)],
    ['cannot be broadcast', () => fn(f, v3)],
  ];
  const logical = (fn: (a: hb.Tensor, b: hb.Tensor) => hb.Tensor): Case[] => [
    ...tensorKinds((x) => fn(L(x), b), 'a'),
    ['b', () => fn(b, L({}))],
    ['bool', () => fn(f, f)],
  ];
  const reduction = (fn: (x: hb.Tensor, axis?: reduce.Axis, keepDims?: boolean) => hb.Tensor, floatOnly = false): Case[] => [
    ...tensorKinds((x) => fn(L(x))),
    ['bool', () => fn(b)],
    ...(floatOnly ? ([['int32', () => fn(i)]] as Case[]) : []),
    ['axis', () => fn(f, L('0'))],
    ['axis', () => fn(f, 2)],
    ['axis', () => fn(f, 0.5)],
    ['axis', () => fn(f, [0, -2])],
    ['axis', () => fn(f, L({}))],
    ['keepDims', () => fn(f, 0, L('yes'))],
  ];
  const argReduction = (fn: (x: hb.Tensor, axis?: number) => hb.Tensor): Case[] => [
    ...tensorKinds((x) => fn(L(x))),
    ['bool', () => fn(b)],
    ['axis', () => fn(f, L([0, 1]))],
    ['axis', () => fn(f, 2)],
    ['axis', () => fn(f, L('0'))],
    ['axis', () => fn(s)],
  ];
  const filled = (fn: (shape: number[], dtype?: hb.DType) => hb.Tensor): Case[] => [
    ['shape', () => fn(L('abc'))],
    ['shape', () => fn(L(3))],
    ['shape', () => fn([2, -1])],
    ['shape', () => fn([2.5])],
    ['shape', () => fn(L([null]))],
    ['dtype', () => fn([2], L('float16'))],
  ];
  const like = (fn: (x: hb.Tensor) => hb.Tensor): Case[] => tensorKinds((x) => fn(L(x)));
  const softmaxLike = (fn: (x: hb.Tensor, axis?: reduce.Axis) => hb.Tensor): Case[] => [
    ...tensorKinds((x) => fn(L(x))),
    ['int32', () => fn(i)],
    ['rank >= 1', () => fn(s)],
    ['axis', () => fn(f, 2)],
    ['axis', () => fn(f, L('a'))],
  ];
  const normal = (fn: typeof random.randomNormal): Case[] => [
    ['shape', () => fn(L('a'))],
    ['shape', () => fn([-1])],
    ['options', () => fn([2], L(5))],
    ['options', () => fn([2], L(null))],
    ['stddev', () => fn([2], { stddev: L('a') })],
    ['mean', () => fn([2], { mean: NaN })],
    ['dtype', () => fn([2], { dtype: 'int32' })],
    ['dtype', () => fn([2], { dtype: L('x') })],
    ['seed', () => fn([2], { seed: L('1') })],
  ];

  return {
    // ---- creation
    tensor: [
      ['values', () => hb.tensor(L('abc'))],
      ['values', () => hb.tensor(L({}))],
      ['values', () => hb.tensor(L([1, null]))],
      ['shape', () => hb.tensor([1, 2], L(2))],
      ['shape', () => hb.tensor([1, 2], [3])],
      ['dtype', () => hb.tensor([1, 2], [2], L('float16'))],
      ['ragged', () => hb.tensor([[1], [1, 2]])],
      ['values', () => hb.tensor(L(new Uint16Array(2)))],
    ],
    scalar: [['value', () => hb.scalar(L('a'))], ['value', () => hb.scalar(L({}))], ['dtype', () => hb.scalar(1, L('x'))], ['int32', () => hb.scalar(1.5, 'int32')]],
    zeros: filled(hb.zeros),
    ones: filled(hb.ones),
    full: [...filled((sh, dt) => hb.full(sh, 1, dt)), ['value', () => hb.full([2], L('a'))], ['int32', () => hb.full([2], 1.5, 'int32')], ['int32', () => hb.full([2], 2 ** 40, 'int32')]],
    zerosLike: like(hb.zerosLike),
    onesLike: like(hb.onesLike),
    range: [
      ['stop', () => hb.range(L('a'))],
      ['start', () => hb.range(L('a'), 3)],
      ['stop', () => hb.range(0, L('b'))],
      ['step', () => hb.range(0, 1, L({}))],
      ['step', () => hb.range(0, 1, 0)],
      ['stop', () => hb.range(0, Infinity)],
      ['int32', () => hb.range(0, 1, 0.5, 'int32')],
      ['dtype', () => hb.range(0, 3, 1, L('x'))],
    ],
    linspace: [['start', () => hb.linspace(L('a'), 1, 3)], ['stop', () => hb.linspace(0, NaN, 3)], ['n', () => hb.linspace(0, 1, 0)], ['n', () => hb.linspace(0, 1, 2.5)]],
    eye: [['n', () => hb.eye(L('a'))], ['n', () => hb.eye(-1)], ['dtype', () => hb.eye(2, L('x'))]],
    oneHot: [
      ...tensorKinds((x) => hb.oneHot(L(x), 3), 'indices'),
      ['indices', () => hb.oneHot(f, 3)],
      ['depth', () => hb.oneHot(idx, 0)],
      ['depth', () => hb.oneHot(idx, L('3'))],
      ['dtype', () => hb.oneHot(idx, 3, L('x'))],
      ['indices', () => hb.oneHot(idx, 1)],
    ],
    variable: [
      ...tensorKinds((x) => hb.variable(L(x)), 'initial'),
      ['options', () => hb.variable(f, L(3))],
      ['options.dtype', () => hb.variable(f, { dtype: L('x') })],
      ['options.name', () => hb.variable(f, { name: L(5) })],
      ['options.trainable', () => hb.variable(f, { trainable: L('yes') })],
    ],

    // ---- elementwise
    ...Object.fromEntries((['abs', 'neg', 'sign', 'square'] as const).map((op) => [op, numericUnary(hb[op])])),
    ...Object.fromEntries(
      (['exp', 'erf', 'expm1', 'floor', 'log', 'log1p', 'sigmoid', 'sqrt', 'tanh', 'softplus', 'reciprocal'] as const).map((op) => [op, floatUnary(hb[op])]),
    ),
    logicalNot: [...tensorKinds((x) => hb.logicalNot(L(x))), ['bool', () => hb.logicalNot(f)]],
    ...Object.fromEntries((['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const).map((op) => [op, arith(hb[op])])),
    ...Object.fromEntries((['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual'] as const).map((op) => [op, compare(hb[op])])),
    logicalAnd: logical(hb.logicalAnd),
    logicalOr: logical(hb.logicalOr),
    clip: [
      ...tensorKinds((x) => hb.clip(L(x), 0, 1)),
      ['bool', () => hb.clip(b, 0, 1)],
      ['lo', () => hb.clip(f, L('a'), 1)],
      ['hi', () => hb.clip(f, 0, L(null))],
      ['lo must be <= hi', () => hb.clip(f, 1, 0)],
      ['integers', () => hb.clip(i, 0.5, 2)],
    ],
    where: [
      ...tensorKinds((x) => hb.where(L(x), f, f), 'condition'),
      ['condition must be bool', () => hb.where(L(f), f, f)],
      ['a', () => hb.where(b, L('a'), f)],
      ['b', () => hb.where(b, f, L({}))],
      ['same dtype', () => hb.where(b, f, i)],
      ['cannot be broadcast', () => hb.where(b, f, v3)],
    ],

    // ---- reductions
    sum: reduction(hb.sum),
    prod: reduction(hb.prod),
    max: [...reduction(hb.max), ['size 0', () => hb.max(hb.zeros([2, 0]), 1)]],
    min: reduction(hb.min),
    mean: reduction(hb.mean),
    variance: reduction(hb.variance),
    logSumExp: [...reduction(hb.logSumExp, true), ['size 0', () => hb.logSumExp(hb.zeros([2, 0]), 1)]],
    argmax: argReduction(hb.argmax),
    argmin: argReduction(hb.argmin),

    // ---- movement
    broadcastTo: [...tensorKinds((x) => hb.broadcastTo(L(x), [2])), ['shape', () => hb.broadcastTo(f, L('a'))], ['cannot broadcast', () => hb.broadcastTo(f, [3, 3])]],
    cast: [...tensorKinds((x) => hb.cast(L(x), 'int32')), ['dtype', () => hb.cast(f, L('float16'))], ['dtype', () => hb.cast(f, L(undefined))]],
    concat: [
      ['xs', () => hb.concat(L('abc'))],
      ['xs', () => hb.concat(L(f))],
      ['xs', () => hb.concat([])],
      ['xs[1]', () => hb.concat([f, L('a')])],
      ['xs[1]', () => hb.concat([f, dead])],
      ['dtype', () => hb.concat([f, i])],
      ['axis', () => hb.concat([f], L('a'))],
      ['axis', () => hb.concat([f], 5)],
      ['rank', () => hb.concat([s, s])],
      ['tensor 1', () => hb.concat([f, v3])],
    ],
    copy: like(hb.copy),
    stopGradient: like(hb.stopGradient),
    expandDims: [...tensorKinds((x) => hb.expandDims(L(x))), ['axis', () => hb.expandDims(f, L('a'))], ['axis', () => hb.expandDims(f, 5)]],
    gather: [
      ...tensorKinds((x) => hb.gather(L(x), idx)),
      ...tensorKinds((x) => hb.gather(f, L(x)), 'indices'),
      ['indices must be int32', () => hb.gather(f, f)],
      ['indices must be in', () => hb.gather(f, hb.tensor([5], [1], 'int32'))],
      ['axis', () => hb.gather(f, idx, L('a'))],
      ['axis', () => hb.gather(f, idx, L([0]))],
      ['axis', () => hb.gather(f, idx, 2)],
    ],
    pad: [
      ...tensorKinds((x) => hb.pad(L(x), [[1, 1]])),
      ['paddings', () => hb.pad(f, L('a'))],
      ['paddings', () => hb.pad(f, [[1, 1]])],
      ['paddings', () => hb.pad(f, [[1, -1], [0, 0]])],
      ['paddings', () => hb.pad(f, L([[1], [0, 0]]))],
      ['value', () => hb.pad(f, [[0, 0], [0, 0]], L('a'))],
      ['value', () => hb.pad(i, [[0, 0], [0, 0]], 0.5)],
      ['value', () => hb.pad(b, [[0, 0], [0, 0]], 2)],
    ],
    reshape: [
      ...tensorKinds((x) => hb.reshape(L(x), [4])),
      ['shape', () => hb.reshape(f, L('a'))],
      ['shape', () => hb.reshape(f, [3])],
      ['shape', () => hb.reshape(f, [-1, -1])],
      ['shape', () => hb.reshape(f, [2.5])],
      ['shape', () => hb.reshape(f, L(['2', 2]))],
    ],
    scatterAdd: [
      ...tensorKinds((x) => hb.scatterAdd(L(x), idx, [2, 2]), 'updates'),
      ...tensorKinds((x) => hb.scatterAdd(f, L(x), [2, 2]), 'indices'),
      ['bool', () => hb.scatterAdd(b, idx, [2, 2])],
      ['shape', () => hb.scatterAdd(f, idx, L('a'))],
      ['axis', () => hb.scatterAdd(f, idx, [2, 2], L('a'))],
      ['axis', () => hb.scatterAdd(f, idx, [2, 2], 2)],
      ['indices must be int32', () => hb.scatterAdd(f, hb.tensor([0, 1]), [2, 2])],
      ['updates must have shape', () => hb.scatterAdd(v3, idx, [2, 2])],
    ],
    slice: [
      ...tensorKinds((x) => hb.slice(L(x), [0])),
      ['begin', () => hb.slice(f, L(1))],
      ['begin', () => hb.slice(f, L('a'))],
      ['begin', () => hb.slice(f, [-1])],
      ['size', () => hb.slice(f, [0], L(1))],
      ['size', () => hb.slice(f, [0], [-2])],
      ['begin and size', () => hb.slice(f, [0, 0, 0])],
      ['begin and size', () => hb.slice(f, [0], [1, 1])],
      ['dimension 0', () => hb.slice(f, [3], [1])],
    ],
    split: [
      ...tensorKinds((x) => hb.split(L(x), 2)),
      ['sizes', () => hb.split(f, L('a'))],
      ['sizes', () => hb.split(f, 0)],
      ['equal parts', () => hb.split(f, 3)],
      ['sizes', () => hb.split(f, [1])],
      ['sizes', () => hb.split(f, [1.5, 0.5])],
      ['axis', () => hb.split(f, 2, L('a'))],
      ['axis', () => hb.split(s, 1)],
    ],
    squeeze: [...tensorKinds((x) => hb.squeeze(L(x))), ['axis', () => hb.squeeze(f, L('a'))], ['axis 0', () => hb.squeeze(f, 0)], ['axis', () => hb.squeeze(f, 5)]],
    stack: [
      ['xs', () => hb.stack(L('abc'))],
      ['xs', () => hb.stack([])],
      ['xs[1]', () => hb.stack([f, L('a')])],
      ['dtype', () => hb.stack([f, i])],
      ['xs[1]', () => hb.stack([f, s])],
      ['axis', () => hb.stack([f], L('a'))],
      ['axis', () => hb.stack([f], 5)],
    ],
    transpose: [
      ...tensorKinds((x) => hb.transpose(L(x))),
      ['perm', () => hb.transpose(f, L('a'))],
      ['perm', () => hb.transpose(f, [0])],
      ['perm', () => hb.transpose(f, [0, 0])],
      ['perm', () => hb.transpose(f, [0, 5])],
    ],

    // ---- linalg
    matmul: [
      ...tensorKinds((x) => hb.matmul(L(x), f), 'a'),
      ...tensorKinds((x) => hb.matmul(f, L(x)), 'b'),
      ['same dtype', () => hb.matmul(f, f64)],
      ['float', () => hb.matmul(i, i)],
      ['rank >= 2', () => hb.matmul(v3, f)],
      ['inner dimensions', () => hb.matmul(f, hb.zeros([3, 3]))],
      ['transposeA', () => hb.matmul(f, f, L('yes'))],
      ['transposeB', () => hb.matmul(f, f, false, L(1))],
    ],
    dot: [
      ...tensorKinds((x) => hb.dot(L(x), f), 'a'),
      ...tensorKinds((x) => hb.dot(f, L(x)), 'b'),
      ['int32', () => hb.dot(i, i)],
      ['same dtype', () => hb.dot(f, f64)],
      ['rank 1 or 2', () => hb.dot(s, f)],
      ['differ in length', () => hb.dot(v3, hb.tensor([1, 2]))],
    ],

    // ---- nn
    relu: numericUnary(hb.relu),
    softmax: softmaxLike(hb.softmax),
    logSoftmax: softmaxLike(hb.logSoftmax),

    // ---- random
    randomUniform: [
      ['shape', () => hb.randomUniform(L('a'))],
      ['shape', () => hb.randomUniform([1.5])],
      ['options', () => hb.randomUniform([2], L(5))],
      ['dtype', () => hb.randomUniform([2], { dtype: L('x') })],
      ['dtype', () => hb.randomUniform([2], { dtype: 'bool' })],
      ['minval', () => hb.randomUniform([2], { minval: L('a') })],
      ['minval must be less than maxval', () => hb.randomUniform([2], { minval: 1, maxval: 0 })],
      ['seed', () => hb.randomUniform([2], { seed: L('1') })],
      ['generator', () => hb.randomUniform([2], { generator: L({}) })],
    ],
    randomNormal: normal(hb.randomNormal),
    truncatedNormal: normal(hb.truncatedNormal),
    bernoulli: [
      ['shape', () => hb.bernoulli(L('a'), 0.5)],
      ['p', () => hb.bernoulli([2], L('a'))],
      ['p', () => hb.bernoulli([2], 2)],
      ['options', () => hb.bernoulli([2], 0.5, L(5))],
      ['dtype', () => hb.bernoulli([2], 0.5, { dtype: 'int32' })],
    ],
    randomPermutation: [['n', () => hb.randomPermutation(L('a'))], ['n', () => hb.randomPermutation(-1)], ['n', () => hb.randomPermutation(2.5)], ['options', () => hb.randomPermutation(3, L('a'))]],
    shuffle: [...tensorKinds((x) => hb.shuffle(L(x))), ['x must have at least one dimension', () => hb.shuffle(s)], ['options', () => hb.shuffle(f, L(5))]],
  };
}

/** The Tensor and Variable methods that take arguments or can fail: prefix → cases. */
function methodCases(): Record<string, Case[]> {
  const v = hb.variable(hb.tensor([1, 2]), { name: 'w' });
  const dead = hb.tensor([1]);
  dead.dispose();
  return {
    assign: [
      ['must be a Tensor', () => v.assign(L('abc'))],
      ['must be a Tensor', () => v.assign(L(3))],
      ['must be a Tensor', () => v.assign(L(null))],
      ['must be a Tensor', () => v.assign(L({}))],
      ['shape', () => v.assign(hb.tensor([1, 2, 3]))],
      ['dtype', () => v.assign(hb.tensor([1, 2], [2], 'int32'))],
      ['disposed', () => v.assign(dead)],
    ],
    item: [['one element', () => hb.tensor([1, 2]).item()]],
    dataSync: [['disposed', () => dead.dataSync()]],
  };
}

/** What is wrong with one case, or null when it raised the right error. */
function problem(op: string, fragment: string, call: () => unknown, k: number): string | null {
  try {
    call();
  } catch (e) {
    if (!(e instanceof hb.HebbError)) return `${op} case ${k}: expected a HebbError, got ${String(e)}`;
    if (!e.message.startsWith(`${op}:`) && !e.message.startsWith(`${op} `)) return `${op} case ${k}: message does not start with "${op}": ${e.message}`;
    if (!e.message.slice(op.length).includes(fragment)) return `${op} case ${k}: message lacks "${fragment}": ${e.message}`;
    return null;
  }
  return `${op} case ${k} (${fragment}) did not throw`;
}

/** Runs every case and reports all that fail at once. */
function assertAll(table: Record<string, Case[]>): void {
  const problems = Object.entries(table).flatMap(([op, list]) => list.map(([fragment, call], k) => problem(op, fragment, call, k)));
  const bad = problems.filter((p) => p !== null);
  assert.deepEqual(bad, [], `${bad.length} of ${problems.length} cases:\n${bad.join('\n')}`);
}

describe('every public op checks its own arguments', () => {
  it('the table covers every function the op modules export', () => {
    hb.scope(() => {
      const table = cases();
      const exported = [creation, elementwise, reduce, movement, linalg, nn, random].flatMap((m) =>
        Object.entries(m).filter(([, v]) => typeof v === 'function').map(([k]) => k),
      );
      const missing = exported.filter((k) => !(k in table));
      assert.deepEqual(missing, [], `ops without wrong-argument cases: ${missing.join(', ')}`);
    });
  });

  it('wrong-kind arguments raise a HebbError in the name of the op called, naming the argument', () => {
    hb.scope(() => {
      assertAll(cases());
    });
  });

  it('Tensor and Variable methods too', () => {
    hb.scope(() => {
      assertAll(methodCases());
    });
  });
});
