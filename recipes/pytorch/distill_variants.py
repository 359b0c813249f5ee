#!/usr/bin/env python3
"""Distils the studio's compressed blocks (variants) with PyTorch on the CPU.

Input: a job folder from `edgetree variants export` (accuracy/distill-job.ts): the base
model's spec and weights, each variant's composed model and starting weights, and the
studio's train split as raw bytes (never its validation images). For each variant, only
its own layers train, inside the otherwise frozen base model (batch norm on its moving
statistics), on the whole train split with random crops and flips. The loss is the
variant's output against the base model's features at the end of the range it replaces
(squared error over the features' mean square, as the studio's own distillation) plus
the base model's softened logits (KL at temperature T, times T^2): the paper's
distillation. Writes <id>.trained.etw (the variant's layers, float32) and
<id>.trained.json (what was done); `edgetree variants import DIR` checks and stores them.

Usage: python3 distill_variants.py DIR [--epochs 3] [--only C1@conv4 ...] [--threads 2]
"""
import argparse, json, math, os, struct, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-3  # dnn/tfjs/layer-op.ts BN_EPSILON
NAMES = ['kernel', 'bias', 'gamma', 'beta', 'movingMean', 'movingVariance']


def read_etw(path):
    """dnn/tfjs/weight-codec.ts: 'ETWH', uint32 LE header length, JSON header, values."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] != b'ETWH':
        raise ValueError(f'{path}: not a studio weights file')
    n, = struct.unpack('<I', data[4:8])
    header = json.loads(data[8:8 + n].decode('utf-8'))
    dtype = np.float16 if header['dtype'] == 'float16' else np.float32
    offset, out = 8 + n, {}
    for a in header['arrays']:
        values = np.frombuffer(data, dtype=dtype, count=a['length'], offset=offset).astype(np.float32)
        offset += a['length'] * np.dtype(dtype).itemsize
        out.setdefault(a['layer'], {})[a['name']] = values
    return out


def write_etw(path, model, weights):
    arrays, values = [], []
    for layer, w in weights.items():
        for name in NAMES:
            if name in w:
                arrays.append({'layer': layer, 'name': name, 'length': int(w[name].size)})
                values.append(np.asarray(w[name], dtype=np.float32).ravel())
    header = json.dumps({'model': model, 'dtype': 'float32', 'arrays': arrays}, separators=(',', ':'))
    while (8 + len(header)) % 4 != 0:
        header += ' '
    hb = header.encode('utf-8')
    with open(path + '.tmp', 'wb') as f:
        f.write(b'ETWH' + struct.pack('<I', len(hb)) + hb)
        for v in values:
            f.write(v.astype('<f4').tobytes())
    os.replace(path + '.tmp', path)


def same_pad(size, k, s):
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


ACTIVATIONS = {
    'relu': F.relu, 'relu6': F.relu6, 'sigmoid': torch.sigmoid, 'tanh': torch.tanh, 'linear': lambda x: x,
    'elu': F.elu, 'selu': F.selu, 'softplus': F.softplus, 'swish': F.silu, 'leakyrelu': lambda x: F.leaky_relu(x, 0.2),
    'softmax': lambda x: F.softmax(x, dim=1),
}


class SpecModel(nn.Module):
    """A studio ModelSpec (dnn/spec/layer-spec.ts) run in PyTorch, NCHW inside, the studio's
    weight layouts outside (conv HWIO, depthwise [k, k, C, m], fc [in, out]; flatten in NHWC order)."""

    def __init__(self, spec, weights, trainable=()):
        super().__init__()
        self.spec = spec
        self.params = nn.ParameterDict()
        self.buffers_ = {}
        self.trainable = set(trainable)
        for layer in spec['layers']:
            w = weights.get(layer['id'])
            if w is None:
                continue
            for name, values in w.items():
                t = torch.from_numpy(values.copy())
                key = f"{layer['id']}|{name}".replace('.', '_')
                if name in ('movingMean', 'movingVariance'):
                    buffer = f'b{len(self.buffers_)}'
                    self.register_buffer(buffer, t)
                    self.buffers_[key] = buffer
                else:
                    self.params[key] = nn.Parameter(t, requires_grad=layer['id'] in self.trainable)

    def w(self, layer_id, name):
        key = f'{layer_id}|{name}'.replace('.', '_')
        if key in self.buffers_:
            return getattr(self, self.buffers_[key])
        return self.params[key] if key in self.params else None

    def forward(self, x, keep=()):
        """x: NCHW. Returns the last layer's output and the outputs of the layers in `keep`."""
        outs, kept, prev = {'input': x}, {}, 'input'
        h, wd = x.shape[2], x.shape[3]
        for layer in self.spec['layers']:
            lid, t = layer['id'], layer['type']
            inputs = [outs[i] for i in layer.get('inputs', [prev])]
            y = inputs[0]
            if t in ('conv', 'depthwise'):
                k, s, p = layer.get('kernel', 1), layer.get('stride', 1), layer.get('padding', 0)
                kernel = self.w(lid, 'kernel')
                cin = y.shape[1]
                if t == 'conv':
                    groups = layer.get('groups', 1)
                    weight = kernel.view(k, k, cin // groups, -1).permute(3, 2, 0, 1)
                else:
                    groups, m = cin, layer.get('depthMultiplier', 1)
                    weight = kernel.view(k, k, cin, m).permute(2, 3, 0, 1).reshape(cin * m, 1, k, k)
                if p == 'same':
                    ph, pw = same_pad(y.shape[2], k, s), same_pad(y.shape[3], k, s)
                    y = F.pad(y, (pw[0], pw[1], ph[0], ph[1]))
                    p = 0
                y = F.conv2d(y, weight, self.w(lid, 'bias'), s, p, 1, groups)
                y = ACTIVATIONS[layer.get('activation', 'linear')](y)
            elif t == 'fc':
                y = F.linear(y, self.w(lid, 'kernel').view(y.shape[1], -1).t(), self.w(lid, 'bias'))
                y = ACTIVATIONS[layer.get('activation', 'linear')](y)
            elif t == 'bn':
                shape = (1, -1, 1, 1) if y.dim() == 4 else (1, -1)
                mean, var = self.w(lid, 'movingMean').view(shape), self.w(lid, 'movingVariance').view(shape)
                y = (y - mean) / torch.sqrt(var + BN_EPS) * self.w(lid, 'gamma').view(shape) + self.w(lid, 'beta').view(shape)
            elif t == 'activation':
                y = ACTIVATIONS[layer.get('activation', 'relu')](y)
            elif t in ('maxpool', 'avgpool'):
                k = layer.get('kernel', 2)
                s, p = layer.get('stride', k), layer.get('padding', 0)
                if p == 'same':
                    if t == 'avgpool':
                        raise ValueError(f"layer {lid}: 'same' average pooling is not supported by this recipe")
                    ph, pw = same_pad(y.shape[2], k, s), same_pad(y.shape[3], k, s)
                    # TensorFlow's 'same' max-pooling ignores the padded cells.
                    y = F.pad(y, (pw[0], pw[1], ph[0], ph[1]), value=-math.inf)
                    p = 0
                y = F.max_pool2d(y, k, s, p) if t == 'maxpool' else F.avg_pool2d(y, k, s, p, count_include_pad=False)
            elif t == 'gap':
                y = y.mean(dim=(2, 3))
            elif t == 'flatten':
                y = y.permute(0, 2, 3, 1).reshape(y.shape[0], -1) if y.dim() == 4 else y
            elif t == 'dropout':
                pass
            elif t == 'add':
                y = sum(inputs)
            elif t == 'concat':
                y = torch.cat(inputs, dim=1)
            else:
                raise ValueError(f'layer {lid}: type {t} is not supported by this recipe')
            outs[lid] = y
            if lid in keep:
                kept[lid] = y
            prev = lid
        return y, kept


# train_base.py has the same crops and flips; it is not imported because it needs python3-onnx, which this recipe does not.
def augment(x, pad, flip):
    n, _, h, w = x.shape
    padded = F.pad(x, (pad, pad, pad, pad))
    oy = torch.randint(0, 2 * pad + 1, (n,))
    ox = torch.randint(0, 2 * pad + 1, (n,))
    out = torch.stack([padded[i, :, oy[i]:oy[i] + h, ox[i]:ox[i] + w] for i in range(n)])
    if flip:
        m = torch.rand(n) < 0.5
        out[m] = out[m].flip(-1)
    return out


def accuracy(model, x, y, batch=500):
    with torch.no_grad():
        return sum((model(x[i:i + batch])[0].argmax(1) == y[i:i + batch]).sum().item() for i in range(0, len(x), batch)) / len(x)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('dir')
    p.add_argument('--epochs', type=float, default=3)
    p.add_argument('--batch', type=int, default=128)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--temperature', type=float, default=4.0)
    p.add_argument('--feature-weight', type=float, default=10.0)
    p.add_argument('--only', nargs='*', default=None)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--force', action='store_true', help='train again variants that already have a result')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    with open(os.path.join(a.dir, 'job.json')) as f:
        job = json.load(f)
    if job.get('format') != 'edgetree-distill-job' or job.get('version') != 1:
        sys.exit(f"{a.dir}/job.json: not a distillation job (format {job.get('format')!r} version {job.get('version')!r})")
    unknown = [i for i in (a.only or []) if i not in {v['id'] for v in job['variants']}]
    if unknown:
        sys.exit(f"{a.dir}/job.json has no variant {', '.join(unknown)} (it has {', '.join(v['id'] for v in job['variants'])})")
    tr = job['train']
    pixels = np.fromfile(os.path.join(a.dir, tr['images']), dtype=np.uint8)
    if pixels.size != tr['count'] * tr['height'] * tr['width'] * tr['channels']:
        sys.exit(f"{a.dir}/{tr['images']}: {pixels.size} bytes, the job says {tr['count']} images of {tr['height']}x{tr['width']}x{tr['channels']}")
    x = torch.from_numpy(pixels.reshape(tr['count'], tr['height'], tr['width'], tr['channels'])).permute(0, 3, 1, 2).float().div_(255)
    x = (x - torch.tensor(tr['mean']).view(1, -1, 1, 1)) / torch.tensor(tr['std']).view(1, -1, 1, 1)
    y = torch.from_numpy(np.fromfile(os.path.join(a.dir, tr['labels']), dtype=np.uint8).astype(np.int64))
    # Flips suit photographs (CIFAR-10) and clothes (Fashion-MNIST) alike; crops of 1/8 of the side.
    pad = max(1, tr['height'] // 8)
    base_weights = read_etw(os.path.join(a.dir, job['base']['weights']))
    teacher = SpecModel(job['base']['spec'], base_weights).eval()
    # A check that this interpreter runs the studio's model as the studio does: a wrong layout shows as chance.
    check = min(2000, tr['count'])
    teacher_acc = accuracy(teacher, x[:check], y[:check])
    print(f"{job['model']}/{job['dataset']}: the base model classifies {100 * teacher_acc:.2f}% of the first {check} training images", flush=True)
    for v in job['variants']:
        if a.only and v['id'] not in a.only:
            continue
        out_file = os.path.join(a.dir, f"{v['id']}.trained.etw")
        if os.path.exists(out_file) and not a.force:
            print(f"{v['id']}: already trained (--force to train again)", flush=True)
            continue
        torch.manual_seed(a.seed)
        start = read_etw(os.path.join(a.dir, f"{v['id']}.etw"))
        trainable = v['trainable']
        weights = {}
        for layer in v['spec']['layers']:
            lid = layer['id']
            src = start.get(trainable[lid]) if lid in trainable else base_weights.get(lid)
            if src is not None:
                weights[lid] = src
        student = SpecModel(v['spec'], weights, trainable.keys()).eval()
        params = [q for q in student.parameters() if q.requires_grad]
        opt = torch.optim.Adam(params, lr=a.lr)
        steps = max(1, int(a.epochs * tr['count'] / a.batch))
        # A short warm-up: Adam's first full-size steps wreck a block that starts close to the base's features.
        warm = max(1, steps // 20)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(s, steps) / steps)))
        T, t0 = a.temperature, time.time()
        probe = x[:min(4 * a.batch, tr['count'])]

        def losses(xb):
            with torch.no_grad():
                tl, tk = teacher(xb, keep=(v['teacherOutput'],))
            sl, sk = student(xb, keep=(v['output'],))
            target = tk[v['teacherOutput']]
            feature = (sk[v['output']] - target).pow(2).mean() / (target.pow(2).mean() + 1e-8)
            kd = F.kl_div(F.log_softmax(sl / T, 1), F.softmax(tl / T, 1), reduction='batchmean') * T * T
            return feature, kd

        with torch.no_grad():
            f0, k0 = losses(probe)
        initial = {lid: {name: student.w(lid, name).detach().clone() for name in NAMES if student.w(lid, name) is not None} for lid in trainable}
        start_acc = accuracy(student, x[:check], y[:check])
        for s in range(steps):
            idx = torch.randint(0, tr['count'], (a.batch,))
            xb = augment(x[idx], pad, True)
            feature, kd = losses(xb)
            loss = a.feature_weight * feature + kd
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            if s % 100 == 0 or s == steps - 1:
                print(f"{v['id']} step {s + 1}/{steps} feature {feature.item():.4f} kd {kd.item():.4f} ({time.time() - t0:.0f} s)", flush=True)
        with torch.no_grad():
            f1, k1 = losses(probe)
        # Never worse than where the technique left it (as the studio's own distillation): an SVD
        # start can already be close to exact, and a short run may only trade features for logits.
        kept = (a.feature_weight * f1 + k1).item() >= (a.feature_weight * f0 + k0).item()
        if kept:
            with torch.no_grad():
                for lid, arrays in initial.items():
                    for name, t in arrays.items():
                        student.w(lid, name).copy_(t)
            f1, k1 = f0, k0
        end_acc = accuracy(student, x[:check], y[:check])
        own = {}
        for lid, original in trainable.items():
            own[original] = {name: student.w(lid, name).detach().numpy() for name in NAMES if student.w(lid, name) is not None}
        write_etw(out_file, v['id'], own)
        record = {'trainerName': 'recipes/pytorch/distill_variants.py', 'torch': torch.__version__, 'images': tr['count'], 'epochs': a.epochs,
                  'steps': steps, 'batch': a.batch, 'learningRate': a.lr, 'temperature': T, 'featureWeight': a.feature_weight, 'seed': a.seed,
                  'augment': {'crop': pad, 'flip': True},
                  'trainAccuracy': {'images': check, 'base': teacher_acc, 'before': start_acc, 'after': end_acc},
                  'keptInitial': kept, 'probeImages': len(probe),
                  'lossBefore': f0.item(), 'lossAfter': f1.item(), 'logitLossBefore': k0.item(), 'logitLossAfter': k1.item(), 'seconds': time.time() - t0}
        with open(os.path.join(a.dir, f"{v['id']}.trained.json"), 'w') as f:
            json.dump(record, f, indent=2)
        print(f"{v['id']}: {'kept the starting weights (training made the loss worse); ' if kept else ''}feature loss {f0.item():.4f} -> {f1.item():.4f}, logit loss {k0.item():.4f} -> {k1.item():.4f}, "
              f"{100 * start_acc:.2f}% -> {100 * end_acc:.2f}% of {check} training images (base {100 * teacher_acc:.2f}%) ({time.time() - t0:.0f} s)", flush=True)


if __name__ == '__main__':
    main()
